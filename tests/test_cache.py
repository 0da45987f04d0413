"""The on-disk cache: hits give the same region and layout, any change to the files is a miss."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench import cache
from workbench.data import load_region
from workbench.network.graph import build_graph
from workbench.network.layout import SEED, _cached, _compute, _fingerprint, layout


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV, str(folder))
    return folder


def test_cached_load_equals_a_fresh_load_and_is_stored(tiny: Path, own_cache: Path) -> None:
    first = load_region(tiny, cache=True)
    assert own_cache.is_dir()
    names = [n for n in cache._store(own_cache).iterkeys() if n.startswith("region:")]
    assert len(names) == 1
    again = load_region(tiny, cache=True)
    assert again == first == load_region(tiny)
    assert again.warnings == first.warnings


def test_a_changed_file_is_read_again(tiny: Path, own_cache: Path) -> None:
    before = load_region(tiny, cache=True)
    path = tiny / "agencies.csv"
    text = path.read_text(encoding="utf-8")
    name = before.agencies[0].name
    path.write_text(text.replace(name, name + " renamed", 1), encoding="utf-8")
    after = load_region(tiny, cache=True)
    assert after.agencies[0].name == name + " renamed"


def test_an_invalid_region_is_never_served_from_the_cache(tiny: Path, own_cache: Path) -> None:
    from workbench.errors import RegionInvalid

    load_region(tiny, cache=True)
    (tiny / "agencies.csv").write_text("id,name\n", encoding="utf-8")
    with pytest.raises(RegionInvalid):
        load_region(tiny, cache=True)


def test_a_stored_entry_is_used(tiny: Path, own_cache: Path) -> None:
    """A hit really comes from the cache: a marked copy stored under the key is what loads."""
    from dataclasses import replace

    region = load_region(tiny, cache=True)
    store = cache._store(own_cache)
    (name,) = [n for n in store.iterkeys() if n.startswith("region:")]
    store.set(name, replace(region, info=replace(region.info, name="from the cache")))
    assert load_region(tiny, cache=True).name == "from the cache"
    assert load_region(tiny).name == region.name  # without cache=True the files are read


def test_cache_off_and_unusable_folders_cost_only_speed(tiny: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.ENV, "off")
    assert cache.folder() is None
    assert load_region(tiny, cache=True) == load_region(tiny)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(cache.ENV, str(blocker / "cache"))
    assert load_region(tiny, cache=True) == load_region(tiny)
    assert cache.get("anything") is None


def test_damaged_entry_is_a_miss(tiny: Path, own_cache: Path) -> None:
    region = load_region(tiny, cache=True)
    store = cache._store(own_cache)
    (name,) = [n for n in store.iterkeys() if n.startswith("region:")]
    store.set(name, "not a region")
    assert load_region(tiny, cache=True) == region


def test_layout_from_the_cache_equals_a_fresh_layout(tiny: Path, own_cache: Path) -> None:
    g = build_graph(load_region(tiny))
    _cached.cache_clear()
    first = layout(g)
    names = [n for n in cache._store(own_cache).iterkeys() if n.startswith("layout:")]
    assert len(names) == 1
    _cached.cache_clear()
    assert layout(g) == first
    nodes, edges = _fingerprint(g)
    assert cache.get(names[0]) == _compute(nodes, edges, SEED, None)
    # and a marked entry under that key is what the next layout returns
    marked = tuple((0.5, 0.5) for _ in nodes)
    cache.put(names[0], marked)
    _cached.cache_clear()
    assert set(layout(g).values()) == {(0.5, 0.5)}
    _cached.cache_clear()
