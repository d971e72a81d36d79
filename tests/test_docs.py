"""Every environment variable the code reads is documented."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_is_in_the_configuration_docs():
    source = "\n".join(p.read_text() for p in (ROOT / "dailypapers").rglob("*.py"))
    names = set(re.findall(r'env_(?:str|bool|int|float|list)\(\s*"([A-Z_]+)"', source))
    assert "DATABASE_URL" in names and len(names) > 10
    docs = (ROOT / "docs" / "configuration.md").read_text()
    missing = sorted(name for name in names if f"`{name}`" not in docs)
    assert not missing, f"undocumented settings: {missing}"
