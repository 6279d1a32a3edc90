"""Random damage to a valid bundle: open_bundle returns or refuses, nothing else."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desk.bundles.reader import open_bundle
from desk.errors import BadInputError


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_mutated_bytes_are_refused_or_accepted_never_a_crash(
    small_bundle: Path, tmp_path: Path, data: st.DataObject
) -> None:
    original = small_bundle.read_bytes()
    mutated = bytearray(original)
    changes = data.draw(
        st.lists(
            st.tuples(st.integers(0, len(original) - 1), st.integers(0, 255)),
            min_size=1,
            max_size=8,
        )
    )
    for position, value in changes:
        mutated[position] = value
    cut = data.draw(st.integers(len(original) // 2, len(original)))
    target = tmp_path / "mutated.evbundle"
    target.write_bytes(bytes(mutated[:cut]))
    refusal = ""
    try:
        open_bundle(target)
    except BadInputError as exc:
        refusal = str(exc)
    assert not refusal or refusal.startswith(f"{target}: ")
