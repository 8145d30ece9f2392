"""The mapping template ``readiness funnel-from-crm --write-mapping`` writes, for the user to fill in once.

One entry per file with the kind its headers tell (or a guess to check), and per kind every field it can read:
the header already recognised, or ``""`` to fill in. Each kind's section lists the files' headers in a comment,
so the user copies a header rather than guessing it. Headers only: no row of a file is written.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from assessment.content.crm_columns import CrmColumns
from assessment.engine.crm.exports import Recognised
from assessment.i18n import translator
from assessment.vocabulary import DATE_ORDERS, Lang


def mapping_template(files: Sequence[tuple[str, Recognised]], columns: CrmColumns, lang: Lang) -> str:
    """A mapping file (YAML with comments in ``lang``) for the exports ``files`` (name, recognised headers)."""
    _ = translator(lang)
    lines = [
        "# " + _("The columns of your CRM exports, for readiness funnel-from-crm --mapping THIS_FILE"),
        "# " + _('Write the header of your export for each field left "" (copy it from the list above the fields),'),
        "# " + _("check the kind of each file, and run again with --mapping. A field left empty is not read."),
        "version: 1",
        "# date_order: month_first   # "
        + _("only when dates like 03/04/2026 leave the order open: {choices}").format(choices=" / ".join(DATE_ORDERS)),
        "files:",
    ]
    kinds: dict[str, list[tuple[str, Recognised]]] = {}
    for name, recognised in files:
        kind_id = recognised.kind.id if recognised.kind else ""
        if recognised.told:
            note = _("told from its headers")
        elif kind_id:
            note = _("a guess from its headers: check it")
        else:
            note = _("not recognised: write one of {kinds}").format(kinds=", ".join(columns.kind_ids))
        lines.append(f"  {_quoted(name)}: {_quoted(kind_id)}   # {note}")
        if kind_id:
            kinds.setdefault(kind_id, []).append((name, recognised))
    lines.append("kinds:")
    for kind_id, recognised_files in kinds.items():
        kind = columns.kind(kind_id)
        lines += [f"  {kind_id}:   # {kind.title.get(lang)}", "    columns:"]
        for name, recognised in recognised_files:
            headers = ", ".join(_quoted(h) for h in recognised.headers if h)
            lines.append("      # " + _("the columns of {file}: {headers}").format(file=name, headers=headers))
        found = {f: recognised_files[0][1].headers[i] for f, i in recognised_files[0][1].indexes.items()}
        lines += [f"      {field}: {_quoted(found.get(field, ''))}" for field in kind.fields()]
        if kind.records == "deals":
            lines.append("    # " + _("stage values that mean won or lost, besides {known}").format(
                known=", ".join(kind.won_stages[:3] + kind.lost_stages[:3])))  # fmt: skip
            lines += ["    won_stages: []", "    lost_stages: []"]
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    """A YAML scalar that reads back as exactly ``text`` (a JSON string is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)
