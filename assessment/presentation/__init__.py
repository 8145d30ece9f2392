"""Presentation: a diagnosis as JSON-ready data, plain text, CSV, Mermaid and workbook rows.

It imports the engine, the content and the foundation modules; the PDF report, the web app and the CLI
build on it.
"""
