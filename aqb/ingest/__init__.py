"""Ingest: a document file becomes a checked ParsedAgreement (extract → clean → parse → match partners, money)."""
