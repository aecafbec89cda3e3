"""One parser per source format, each returning :class:`rulecompare.model.ParsedAgreement`.

:mod:`.tota` reads ToTA XML; :mod:`.text` recovers a treaty's structure from
plain text, which :mod:`.html` and :mod:`.pdf` extract first; :mod:`.manifest`
reads a manifest of files and picks the parser by format.  They share what
they take (:class:`.common.SourceMeta`, the classifier) and how they end
(:mod:`.clauses`: articles split into paragraph clauses).
"""
