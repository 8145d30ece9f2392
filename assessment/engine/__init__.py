"""The engine: an assessment and the content in, the diagnosis out (facts, scores, funnel, phase, risks, plan).

Pure: no I/O beyond what it is handed, no Flask, no WeasyPrint. It imports the content layer and the
foundation modules, never the presentation, the PDF report, the web app or the CLI.
"""
