"""Liveness: the trivial endpoint benchmarks compare against."""

from fastapi import APIRouter
from pydantic import BaseModel

router = APIRouter(prefix="/v1", tags=["health"])


class Health(BaseModel):
    status: str = "ok"


@router.get("/health", response_model=Health, summary="Liveness probe")
async def health() -> Health:
    return Health()
