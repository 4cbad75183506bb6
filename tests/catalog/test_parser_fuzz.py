"""Any file, however hostile, gives a report and never a crash or a hang: every parser on
arbitrary bytes, on mutated real files, and on the inputs that once crashed them."""

import json
import os
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.importers import PARSERS, csv_format
from catalog.importers.source import ImportFormatError, ParsedSource
from catalog.importers.staging import unzip_tree
from tests.conftest import SHARED_DATA

FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
FILE_FORMATS = ["openrouter", "litellm", "genai-prices", "csv"]


def parse_or_report(fmt: str, path: Path) -> ParsedSource | None:
    """The parser's result, or None when it refused the whole file with a message."""
    try:
        parsed = PARSERS[fmt](path)
    except ImportFormatError as exc:
        assert str(exc)
        return None
    assert isinstance(parsed, ParsedSource)
    for row in parsed.rows:  # every row is a row the plan can read
        assert isinstance(row.provider_model_id, str)
        assert all(isinstance(a, str) for a in row.alternate_ids)
    return parsed


@FUZZ
@given(fmt=st.sampled_from(FILE_FORMATS), data=st.binary(max_size=2000))
def test_arbitrary_bytes_give_a_report(tmp_path, fmt, data):
    path = tmp_path / "upload"
    path.write_bytes(data)
    parse_or_report(fmt, path)


def _json_values():
    leaves = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.text(max_size=12),
        st.sampled_from(["-1", "1e30", "0.000002", "x", "", "²"]),
    )
    return st.recursive(
        leaves,
        lambda children: st.one_of(
            st.lists(children, max_size=4),
            st.dictionaries(st.text(max_size=10), children, max_size=4),
        ),
        max_leaves=20,
    )


@FUZZ
@given(value=_json_values(), where=st.sampled_from(["pricing", "top_provider", "id", "created"]))
def test_openrouter_entries_with_any_values_give_a_report(tmp_path, value, where):
    entry = {"id": "lab/model", "name": "Lab: Model", "pricing": {"prompt": "0.000001"}}
    entry[where] = value
    path = tmp_path / "or.json"
    path.write_text(json.dumps({"data": [entry]}))
    parse_or_report("openrouter", path)


@FUZZ
@given(value=_json_values(), key=st.sampled_from(["input_cost_per_token", "max_input_tokens", "x"]))
def test_litellm_entries_with_any_values_give_a_report(tmp_path, value, key):
    entry = {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 1e-6}
    entry[key] = value
    path = tmp_path / "litellm.json"
    path.write_text(json.dumps({"gpt-x": entry}))
    parse_or_report("litellm", path)


@FUZZ
@given(value=_json_values())
def test_genai_prices_with_any_prices_give_a_report(tmp_path, value):
    document = [{"id": "openai", "models": [{"id": "gpt-x", "prices": value}]}]
    path = tmp_path / "genai.json"
    path.write_text(json.dumps(document))
    parse_or_report("genai-prices", path)


TOML_VALUES = st.sampled_from(
    [
        "5",
        "[1]",
        '"x"',
        "{ size = 5 }",
        "[{ tier = 3 }]",
        "1e30",
        "-2",
        '[{ tier = { size = "a" } }]',
    ]
)


@FUZZ
@given(
    key=st.sampled_from(["limit", "cost", "cost.tiers", "cost.input", "modalities", "benchmarks"]),
    value=TOML_VALUES,
)
def test_models_dev_files_with_any_values_give_a_report(tmp_path, key, value):
    root = Path(tempfile.mkdtemp(dir=tmp_path)) / "tree"  # a fresh tree per example
    offering = root / "providers" / "lab" / "models" / "m.toml"
    offering.parent.mkdir(parents=True)
    (root / "models" / "lab").mkdir(parents=True)
    if key.startswith("cost."):
        body = f"[cost]\ninput = 1\noutput = 2\n{key.split('.')[1]} = {value}\n"
    else:
        body = f'name = "M"\n{key} = {value}\n[cost]\ninput = 1\noutput = 2\n'
    offering.write_text(body)
    (root / "models" / "lab" / "m.toml").write_text(f'name = "M"\n{key.split(".")[0]} = {value}\n')
    parse_or_report("models-dev", root)


@pytest.fixture(scope="module")
def real_samples():
    """Small real slices of each file (skipped without ../shared/data)."""
    if not (SHARED_DATA / "openrouter" / "models.json").exists():
        pytest.skip(f"the shared source files are not at {SHARED_DATA}")
    openrouter = json.loads((SHARED_DATA / "openrouter" / "models.json").read_text())
    litellm = json.loads(
        (SHARED_DATA / "litellm" / "model_prices_and_context_window.json").read_text()
    )
    genai = json.loads((SHARED_DATA / "genai-prices" / "data.json").read_text())
    return {
        "openrouter": json.dumps({"data": openrouter["data"][:3]}).encode(),
        "litellm": json.dumps(dict(list(litellm.items())[1:4])).encode(),
        "genai-prices": json.dumps([{**genai[0], "models": genai[0]["models"][:2]}]).encode(),
    }


@FUZZ
@given(
    fmt=st.sampled_from(["openrouter", "litellm", "genai-prices"]),
    edits=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=8),
)
def test_mutated_real_files_give_a_report(tmp_path, real_samples, fmt, edits):
    data = bytearray(real_samples[fmt])
    for position, byte in edits:
        data[position % len(data)] = byte
    path = tmp_path / "mutated"
    path.write_bytes(bytes(data))
    parse_or_report(fmt, path)


def test_the_inputs_that_once_crashed_give_a_report(tmp_path):
    # A "²" threshold (a digit to str.isdigit, not a number), a price of 1e30 per token.
    header = ",".join(csv_format.COLUMNS)
    row = "openai,gpt-x,gpt-x,standard,²,1,2,,,,,"
    parsed = csv_format.parse_text(f"{header}\n{row}\n")
    assert "context_threshold '²' is not a whole number" in parsed.rows[0].errors[0]
    big = tmp_path / "big.json"
    big.write_text('{"data": [{"id": "a/b", "pricing": {"prompt": "1e30", "completion": "1"}}]}')
    assert "too large" in parse_or_report("openrouter", big).rows[0].errors[0]
    # JSON nested 200,000 deep and a 5,000-digit integer: refused as a whole, with why.
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000 + "]" * 200_000)
    with pytest.raises(ImportFormatError, match="nested too deeply"):
        PARSERS["openrouter"](deep)
    digits = tmp_path / "digits.json"
    digits.write_text('{"data": [{"id": "a/b", "created": ' + "9" * 5000 + "}]}")
    with pytest.raises(ImportFormatError, match="Not usable JSON"):
        PARSERS["openrouter"](digits)


def test_a_tree_never_reads_outside_itself_nor_waits_on_a_fifo(tmp_path):
    outside = tmp_path / "secret.toml"
    outside.write_text("[cost]\ninput = 9\noutput = 9\n")
    root = tmp_path / "tree"
    models = root / "providers" / "lab" / "models"
    models.mkdir(parents=True)
    (models / "real-link.toml").symlink_to(outside)
    (models / "text-link.toml").write_text("../../../../secret.toml")
    (models / "folder.toml").mkdir()
    os.mkfifo(models / "pipe.toml")
    parsed = PARSERS["models-dev"](root)
    reasons = {problem.ref.rsplit("/", 1)[-1]: problem.message for problem in parsed.skipped}
    assert (
        reasons["real-link.toml"]
        == reasons["text-link.toml"]
        == ("a link that leads outside the tree")
    )
    assert reasons["pipe.toml"] == reasons["folder.toml"] == "not a regular file"
    assert not [r for r in parsed.rows if r.input == 9]


def test_a_zip_with_a_file_and_a_folder_of_one_name_is_refused(tmp_path):
    archive = tmp_path / "tree.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("providers/a.toml", "x = 1")
        bundle.writestr("providers/a.toml/b.toml", "x = 1")
    with pytest.raises(ImportFormatError, match="cannot be unpacked"):
        unzip_tree(archive, tmp_path / "out")
