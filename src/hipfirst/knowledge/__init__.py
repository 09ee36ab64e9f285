"""The versioned knowledge base: references, measures, exercises, contributors, phases.

``schema`` holds the record types, ``base`` the :class:`KnowledgeBase` they form,
``vocabulary`` the words shared with every other layer; ``loader`` reads and
validates the YAML files in ``data/``. Importing this package loads nothing.
"""
