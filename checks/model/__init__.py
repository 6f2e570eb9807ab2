"""The program as typed values: what the data files say, built leniently from possibly invalid YAML."""

from checks.model.endpoints import AliasFamily, CanonicalEndpoint, ManifestEndpoint, ProhibitedEndpoint, Service
from checks.model.exceptions import EndpointCover, GuardCover, Renewal, Waiver, build_waivers
from checks.model.invariants import AdrRef, Evidence, Invariant, build_invariants
from checks.model.program import (
    EvidenceClass,
    Guard,
    Milestone,
    NetworkPolicy,
    Program,
    Requirement,
    Source,
    build_program,
)
from checks.model.where import Where

__all__ = [
    "AdrRef",
    "AliasFamily",
    "CanonicalEndpoint",
    "EndpointCover",
    "Evidence",
    "EvidenceClass",
    "Guard",
    "GuardCover",
    "Invariant",
    "ManifestEndpoint",
    "Milestone",
    "NetworkPolicy",
    "Program",
    "ProhibitedEndpoint",
    "Renewal",
    "Requirement",
    "Service",
    "Source",
    "Waiver",
    "Where",
    "build_invariants",
    "build_program",
    "build_waivers",
]
