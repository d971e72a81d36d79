"""Parsing untrusted XML from arXiv: no entities, no DTDs, clear errors."""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from dailypapers.ingest.errors import MalformedResponse


def parse_xml(body: bytes, *, what: str) -> Element:
    if not body.strip():
        raise MalformedResponse(f"{what}: empty body")
    try:
        return fromstring(body)
    except ParseError as exc:
        line, column = exc.position
        raise MalformedResponse(
            f"{what}: malformed or truncated XML at line {line} column {column} ({len(body)} bytes)"
        ) from None
    except DefusedXmlException as exc:
        raise MalformedResponse(f"{what}: refused unsafe XML ({type(exc).__name__})") from None


def strip_namespaces(root: Element) -> Element:
    """OAI-PMH arrives both with and without namespaces; match on local names."""
    for element in root.iter():
        if isinstance(element.tag, str) and "}" in element.tag:
            element.tag = element.tag.rsplit("}", 1)[1]
    return root


def text_of(element: Element | None, path: str) -> str:
    found = element.find(path) if element is not None else None
    return (found.text or "").strip() if found is not None else ""
