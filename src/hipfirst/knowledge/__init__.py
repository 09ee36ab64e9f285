"""The versioned knowledge base: references, measures, exercises, contributors."""

from hipfirst.knowledge.loader import KnowledgeBase, knowledge_base

__all__ = ["KnowledgeBase", "knowledge_base"]
