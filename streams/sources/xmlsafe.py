"""Parse untrusted XML with expat: no DTD, hence no entity expansion (billion laughs) and no external entities."""

from __future__ import annotations

from typing import NoReturn
from xml.etree.ElementTree import Element, TreeBuilder
from xml.parsers import expat

from streams.sources.base import Invalid

MAX_XML_BYTES = 512 * 1024  # a CAP message is a few kilobytes; a big polygon stays far under this
MAX_ELEMENTS = 20_000
MAX_DEPTH = 32


def _refuse(*_args: object) -> NoReturn:
    raise Invalid("XML with a document type declaration (DTD or entities) is refused")


def parse(document: str | bytes) -> Element:
    """Return the root element (tags as "{namespace}local"), or raise Invalid saying why not."""
    data = document.encode("utf-8") if isinstance(document, str) else document
    if len(data) > MAX_XML_BYTES:
        raise Invalid(f"XML larger than {MAX_XML_BYTES} bytes")
    builder, depth, count = TreeBuilder(), [0], [0]
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse  # refused before any entity can be declared or expanded
    parser.EntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = lambda *_a: _refuse()

    def start(name: str, attrs: dict[str, str]) -> None:
        depth[0] += 1
        count[0] += 1
        if depth[0] > MAX_DEPTH or count[0] > MAX_ELEMENTS:
            raise Invalid("XML nested too deep or with too many elements")
        builder.start(_tag(name), attrs)

    def end(name: str) -> None:
        depth[0] -= 1
        builder.end(_tag(name))

    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, builder.data
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise Invalid(f"not well-formed XML: {expat.ErrorString(exc.code)} at line {exc.lineno}") from None
    except RecursionError:
        raise Invalid("XML nested too deep") from None
    return builder.close()


def _tag(name: str) -> str:
    uri, _, local = name.rpartition(" ")
    return f"{{{uri}}}{local}" if uri else local
