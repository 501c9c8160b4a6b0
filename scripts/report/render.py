"""Writing a Document as a self-contained HTML page and as Markdown.

The HTML page carries its images as base64 data URIs and its style inline,
so it can be mailed or opened from anywhere without the directory and
without a network. A few lines of script mark the <body> with how many
images the browser actually decoded (data-images="LOADED/TOTAL"), which the
browser test reads back from the rendered DOM.
"""

import base64
import html
import os

from document import Bullets, Figure, Paragraph, Table

STYLE = """
body { font-family: sans-serif; max-width: 1200px; margin: 2em auto; padding: 0 1em;
       color: #222; line-height: 1.45; }
h1 { margin-bottom: 0.2em; }
.subtitle { color: #555; margin-top: 0; }
h2 { border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 2em; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; }
th { background: #f0f0f0; }
td:first-child, th:first-child { text-align: left; }
caption { caption-side: top; text-align: left; font-weight: bold; padding: 0.3em 0; }
figure { margin: 1em 0; }
figure img { max-width: 100%; border: 1px solid #ddd; }
figcaption { color: #555; font-size: 0.9em; }
nav ul { columns: 2; }
#conclusion li { margin-bottom: 0.4em; }
"""

# Counts the images the browser decoded once everything has loaded.
IMAGE_CHECK = """
window.addEventListener('load', function () {
  var images = document.images, loaded = 0;
  for (var i = 0; i < images.length; i++)
    if (images[i].complete && images[i].naturalWidth > 0) loaded++;
  document.body.setAttribute('data-images', loaded + '/' + images.length);
});
"""

MIME = {".png": "image/png", ".svg": "image/svg+xml"}


def _esc(text):
    return html.escape(text, quote=True)


def _html_table(t):
    out = ["<table>"]
    if t.caption:
        out.append("<caption>%s</caption>" % _esc(t.caption))
    out.append("<thead><tr>%s</tr></thead>" % "".join("<th>%s</th>" % _esc(h) for h in t.headers))
    out.append("<tbody>")
    for row in t.rows:
        out.append("<tr>%s</tr>" % "".join("<td>%s</td>" % _esc(c) for c in row))
    out.append("</tbody></table>")
    return "\n".join(out)


def _data_uri(path):
    ext = os.path.splitext(path)[1].lower()
    with open(path, "rb") as f:
        payload = base64.b64encode(f.read()).decode("ascii")
    return "data:%s;base64,%s" % (MIME.get(ext, "application/octet-stream"), payload)


def _html_block(block, out_dir):
    if isinstance(block, Paragraph):
        return "<p>%s</p>" % _esc(block.text)
    if isinstance(block, Bullets):
        return "<ul>%s</ul>" % "".join("<li>%s</li>" % _esc(i) for i in block.items)
    if isinstance(block, Table):
        return _html_table(block)
    if isinstance(block, Figure):
        uri = _data_uri(os.path.join(out_dir, block.filename))
        return ('<figure><img src="%s" alt="%s"><figcaption>%s</figcaption></figure>'
                % (uri, _esc(block.caption), _esc(block.caption)))
    raise TypeError("unknown block %r" % block)


def write_html(doc, out_dir, name="index.html"):
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             "<title>%s</title>" % _esc(doc.title), "<style>%s</style>" % STYLE,
             "<script>%s</script>" % IMAGE_CHECK, "</head><body>",
             "<h1>%s</h1>" % _esc(doc.title)]
    if doc.subtitle:
        parts.append('<p class="subtitle">%s</p>' % _esc(doc.subtitle))
    parts.append("<nav><ul>%s</ul></nav>" % "".join(
        '<li><a href="#%s">%s</a></li>' % (s.anchor, _esc(s.title)) for s in doc.sections))
    for s in doc.sections:
        parts.append('<section id="%s"><h2>%s</h2>' % (s.anchor, _esc(s.title)))
        parts.extend(_html_block(b, out_dir) for b in s.blocks)
        parts.append("</section>")
    parts.append("</body></html>\n")
    with open(os.path.join(out_dir, name), "w", encoding="utf-8") as f:
        f.write("\n".join(parts))


def _md_cell(text):
    return text.replace("|", "\\|").replace("\n", " ")


def _md_block(block):
    if isinstance(block, Paragraph):
        return block.text
    if isinstance(block, Bullets):
        return "\n".join("- " + i for i in block.items)
    if isinstance(block, Table):
        lines = []
        if block.caption:
            lines.append("**%s**" % block.caption)
            lines.append("")
        lines.append("| " + " | ".join(_md_cell(h) for h in block.headers) + " |")
        lines.append("|" + "|".join("---" for _ in block.headers) + "|")
        lines.extend("| " + " | ".join(_md_cell(c) for c in r) + " |" for r in block.rows)
        return "\n".join(lines)
    if isinstance(block, Figure):
        return "![%s](%s)\n\n*%s*" % (block.caption, block.filename, block.caption)
    raise TypeError("unknown block %r" % block)


def write_markdown(doc, out_dir, name="report.md"):
    parts = ["# " + doc.title]
    if doc.subtitle:
        parts.append(doc.subtitle)
    parts.append("\n".join("- [%s](#%s)" % (s.title, s.anchor) for s in doc.sections))
    for s in doc.sections:
        parts.append('<a id="%s"></a>\n\n## %s' % (s.anchor, s.title))
        parts.extend(_md_block(b) for b in s.blocks)
    with open(os.path.join(out_dir, name), "w", encoding="utf-8") as f:
        f.write("\n\n".join(parts) + "\n")
