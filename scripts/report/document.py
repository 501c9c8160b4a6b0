"""The report as data: sections of paragraphs, lists, tables and figures.

The content is assembled once and written twice, as HTML and as Markdown,
so the two outputs cannot disagree.
"""


class Paragraph:
    def __init__(self, text):
        self.text = text


class Bullets:
    def __init__(self, items):
        self.items = list(items)


class Table:
    """headers: column titles; rows: lists of already formatted strings."""

    def __init__(self, headers, rows, caption=None):
        self.headers = list(headers)
        self.rows = [list(r) for r in rows]
        self.caption = caption


class Figure:
    """An image file written into the report's directory."""

    def __init__(self, filename, caption):
        self.filename = filename
        self.caption = caption


class Section:
    def __init__(self, anchor, title, blocks=()):
        self.anchor = anchor
        self.title = title
        self.blocks = list(blocks)

    def add(self, block):
        self.blocks.append(block)
        return block


class Document:
    def __init__(self, title, subtitle=""):
        self.title = title
        self.subtitle = subtitle
        self.sections = []

    def section(self, anchor, title):
        s = Section(anchor, title)
        self.sections.append(s)
        return s

    def figures(self):
        return [b for s in self.sections for b in s.blocks if isinstance(b, Figure)]
