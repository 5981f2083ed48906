"""Every $ref in the interface documents points at something the document defines."""
from __future__ import annotations

import json
import re

import pytest


def resolve(document: dict, ref: str):
    node = document
    for part in ref.lstrip("#/").split("/"):
        node = node[part]
    return node


@pytest.mark.parametrize("path", ["/api/asyncapi.json", "/api/openapi.json"])
def test_every_reference_resolves(client, path):
    document = client.get(path).get_json()
    refs = set(re.findall(r'"\$ref": "(#/[^"]+)"', json.dumps(document)))
    assert refs, "the document references no schemas at all"
    missing = []
    for ref in sorted(refs):
        try:
            resolve(document, ref)
        except (KeyError, TypeError):
            missing.append(ref)
    assert missing == []
