"""The base of every OFeli model: pydantic builds a model's validator when it is first used, not when
its module is imported, so a function's cold start pays only for the models its route touches."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    model_config = ConfigDict(defer_build=True)
