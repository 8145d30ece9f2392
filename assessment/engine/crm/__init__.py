"""The funnel from a CRM's exports (issue 18): HubSpot contacts and deals, Salesforce lead and opportunity reports.

``exports`` recognises a file's kind from its headers and ``reading`` reads its rows into ``records`` (``values``
parses their cells); ``mapping`` reads the user's mapping for headers the content does not know; ``funnel`` turns
the records into monthly figures over a ``period``, each with its evidence (``figures``, ``deal_figures``,
``contact_figures``), and a cohort view; ``survey`` puts the figures into an assessment file's ``survey.funnel``.
Only aggregates leave this package: no row is kept, printed or written.
"""
