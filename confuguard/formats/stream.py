"""Writing check results batch by batch, so a long list starts printing at once and is never held whole.

The text written is the same as `confuguard.formats.render` of all the results at once, except that
table columns are aligned per batch: `json` is one object for one result and an array otherwise
(the first result is held back until the second arrives), `csv` and `table` print their header once.
"""

from __future__ import annotations

import json
import textwrap
from typing import TextIO

from confuguard.formats import Format, render
from confuguard.formats.jsonfmt import result_dict
from confuguard.types import CheckResult


class ResultStream:
    """Renders batches of results to `out` in one format; call `close` once at the end."""

    def __init__(self, out: TextIO, fmt: Format | str) -> None:
        self.out = out
        self.fmt = Format(fmt)
        self.count = 0
        self._docs = 0
        self._held: str | None = None  # json: the first document, until we know whether an array is needed

    def write(self, results: list[CheckResult]) -> None:
        """Render and flush one batch."""
        if not results:
            return
        if self.fmt is Format.JSON:
            self._write_json(results)
        else:
            text = render(results, self.fmt)
            if self.count and self.fmt in (Format.CSV, Format.TABLE):
                text = text.split("\n", 1)[1]  # the header is printed once
            self.out.write(text)
        self.count += len(results)
        self.out.flush()

    def _write_json(self, results: list[CheckResult]) -> None:
        for r in results:
            doc = json.dumps(result_dict(r), indent=2, ensure_ascii=False)
            self._docs += 1
            if self._docs == 1:
                self._held = doc
                continue
            if self._held is not None:
                self.out.write("[\n" + textwrap.indent(self._held, "  "))
                self._held = None
            self.out.write(",\n" + textwrap.indent(doc, "  "))

    def close(self) -> None:
        """Finish the document (close the json array)."""
        if self.fmt is Format.JSON:
            if self._held is not None:
                self.out.write(self._held + "\n")
            elif self.count:
                self.out.write("\n]\n")
            else:
                self.out.write("[]\n")
        self.out.flush()
