"""What the charts share: a font that renders Chinese."""

from __future__ import annotations

from typing import Optional


def cjk_font() -> Optional[str]:
    """A font that renders Chinese, if one is installed (Debian's fonts-noto-cjk, for one)."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    for wanted in ("Noto Sans CJK SC", "Noto Sans CJK", "WenQuanYi", "Droid Sans Fallback", "SimHei", "Noto Serif CJK"):
        found = sorted(n for n in names if wanted in n)
        if found:
            return found[0]
    return None
