import json
from pathlib import Path

import pytest
from django.conf import settings

DATA = Path(settings.BASE_DIR).parent / "shared" / "data"


@pytest.fixture
def litellm_file(tmp_path):
    """Write a LiteLLM-format file from {model id: (input, output, cache_read, ctx, max)}
    in USD per 1M tokens, all on provider "openai"."""

    def write(rows: dict, name="prices.json"):
        document = {}
        for model_id, (inp, out, cache_read, ctx, max_out) in rows.items():
            entry = {
                "litellm_provider": "openai",
                "mode": "chat",
                "input_cost_per_token": f"{inp}e-6",
                "output_cost_per_token": f"{out}e-6",
                "max_input_tokens": ctx,
                "max_output_tokens": max_out,
            }
            if cache_read is not None:
                entry["cache_read_input_token_cost"] = f"{cache_read}e-6"
            document[model_id] = entry
        path = tmp_path / name
        path.write_text(json.dumps(document))
        return path

    return write
