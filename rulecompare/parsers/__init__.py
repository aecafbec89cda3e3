"""One parser per source format, each returning :class:`rulecompare.model.ParsedAgreement`."""
