"""The endpoint catalog's records: one endpoint, one service's catalog, a catalog problem, the whole catalog."""

from __future__ import annotations

from dataclasses import dataclass, field

from checks.endpoints.normalize import TemplateIndex, same_method


@dataclass(frozen=True, order=True)
class Endpoint:
    service: str
    path: str
    method: str
    origin: str  # "source:file:line", "data/program.yaml:line" or a URL
    # The switch the route is registered under, when the extractor saw one ("" when always registered).
    condition: str = ""

    def as_dict(self) -> dict[str, str]:
        out = {"method": self.method, "path": self.path, "origin": self.origin}
        if self.condition:
            out["condition"] = self.condition
        return out


@dataclass
class ServiceCatalog:
    service: str
    endpoints: list[Endpoint]
    kind: str  # "manifest", "openapi", "preset:axum", "regex"
    live: bool
    source: str = ""
    commit: str = ""
    url: str = ""
    generated: str = ""
    # The record file the catalog was read from, when its source is absent and recorded.
    record: str = ""
    # Conditional endpoints the program does not count as shipped (endpoints.conditional_routes).
    held_back: list[Endpoint] = field(default_factory=list)

    @property
    def refreshable(self) -> bool:
        """Read live from a source or URL (a manifest is data already and needs no snapshot)."""
        return self.live and self.kind != "manifest"

    def provenance(self) -> dict[str, str]:
        return {
            k: v
            for k, v in (
                ("kind", self.kind),
                ("source", self.source),
                ("commit", self.commit),
                ("url", self.url),
                ("generated", self.generated),
                ("record", self.record),
            )
            if v
        }


@dataclass(frozen=True)
class CatalogProblem:
    service: str
    message: str


@dataclass
class Catalog:
    services: dict[str, ServiceCatalog | None]
    problems: list[CatalogProblem] = field(default_factory=list)
    snapshot_generated: str = ""
    # Why a snapshot file that exists could not be used (not JSON, wrong shape); empty when fine or absent.
    snapshot_corrupt: str = ""

    _index: tuple[tuple[object, ...], list[Endpoint], TemplateIndex[Endpoint]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def _indexed(self) -> tuple[list[Endpoint], TemplateIndex[Endpoint]]:
        # Sorted and indexed once per set of service catalogs: rules ask once per runbook mention.
        key = tuple((name, id(c), len(c.endpoints) if c else -1) for name, c in self.services.items())
        if self._index is None or self._index[0] != key:
            ordered = sorted(e for c in self.services.values() if c for e in c.endpoints)
            self._index = (key, ordered, TemplateIndex((e.path, e) for e in ordered))
        return self._index[1], self._index[2]

    @property
    def endpoints(self) -> list[Endpoint]:
        return list(self._indexed()[0])

    def known(self, service: str | None = None) -> bool:
        if service:
            return self.services.get(service) is not None
        return bool(self.services) and all(c is not None for c in self.services.values())

    def find(self, path: str, method: str = "ANY", service: str = "") -> list[Endpoint]:
        return [
            e
            for e in self._indexed()[1].matching(path)
            if (not service or e.service == service) and same_method(e.method, method)
        ]
