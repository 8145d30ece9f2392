"""WSGI entry point: ``gunicorn wsgi:app``."""

from assessment.web import create_app

app = create_app()
