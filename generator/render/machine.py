"""Outputs for machines (issue 3/5): Markdown twins, JSON, llms.txt, OpenAPI, sitemap and feed.

MACHINE_PRODUCERS is the ordered tuple generator.build runs after the HTML
pages; each producer takes the RenderContext and yields Outputs. The work is
split by format:

- generator.render.twins: models/<p>/<slug>.md, providers/<p>.md, docs/<page>.md, every listing's twin
- generator.render.data: models/<p>/<slug>.json, api/models.json, schema/model.json
- generator.render.llms: llms.txt, providers/<p>/llms.txt, llms-full.txt (llms-index.txt if needed), api.md
- generator.render.openapi: openapi.json, openapi.yaml
- generator.render.feeds: sitemap.xml, robots.txt, feed.xml
"""

from .data import DATA_PRODUCERS
from .feeds import FEED_PRODUCERS
from .llms import LLMS_PRODUCERS
from .openapi import OPENAPI_PRODUCERS
from .twins import MARKDOWN_PRODUCERS

MACHINE_PRODUCERS = MARKDOWN_PRODUCERS + DATA_PRODUCERS + LLMS_PRODUCERS + OPENAPI_PRODUCERS + FEED_PRODUCERS
