"""Case bundles: carry part or all of a case to a colleague, and merge theirs.

``writer.export_bundle`` writes one ``.evbundle`` file; ``reader.open_bundle``
validates a bundle completely before anything is written; ``merge.preview`` and
``merge.apply`` merge it into a case field by field; ``review`` lets the analyst
choose where both sides changed the same field; ``signing`` keeps the analyst's
Ed25519 keys. docs/bundle-format.md describes the format.
"""
