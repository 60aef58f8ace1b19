"""modelcat: a static model-catalog and docs-site generator."""

__version__ = "0.1.0"
