"""Reading rendered pages in tests: tables, scripts, inline styles, external assets."""

from html.parser import HTMLParser


class Page(HTMLParser):
    """Collects what the tests read: table headers, scripts, styles, links, text."""

    def __init__(self, html: str):
        super().__init__()
        self.tables: list[dict] = []
        self.scripts: list[tuple[dict, str]] = []
        self.style_attributes = 0
        self.external = []
        self._stack: list[str] = []
        self._cell = None
        self._script = None
        self.text_parts: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "style" in attrs:
            self.style_attributes += 1
        for key in ("src", "href"):
            value = attrs.get(key) or ""
            if tag in ("script", "link", "img") and value.startswith(("http", "//")):
                if tag == "link" and attrs.get("rel") == "canonical":
                    continue
                self.external.append(value)
        if tag == "table":
            self.tables.append({"caption": "", "head": [], "rows": []})
        elif tag == "script":
            self._script = (attrs, [])
        elif tag in ("th", "td", "caption"):
            self._cell = (tag, attrs, [])
        elif tag == "tr" and self.tables:
            self._row = []
        self._stack.append(tag)

    def handle_endtag(self, tag):
        if tag == "script" and self._script:
            self.scripts.append((self._script[0], "".join(self._script[1])))
            self._script = None
        elif tag in ("th", "td", "caption") and self._cell:
            kind, attrs, parts = self._cell
            text = " ".join("".join(parts).split())
            table = self.tables[-1]
            if kind == "caption":
                table["caption"] = text
            elif "thead" in self._stack:
                table["head"].append(text)
            else:
                self._row.append(text)
            self._cell = None
        elif tag == "tr" and self.tables and "thead" not in self._stack and self._row:
            self.tables[-1]["rows"].append(self._row)
            self._row = []
        if self._stack:
            self._stack.pop()

    def handle_data(self, data):
        if self._script:
            self._script[1].append(data)
            return
        if self._cell:
            self._cell[2].append(data)
        self.text_parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.text_parts).split())

    def table(self, caption_start: str) -> dict:
        return next(t for t in self.tables if t["caption"].startswith(caption_start))
