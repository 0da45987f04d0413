"""The partner network: graphs, metrics, pathways, resilience and views."""

from .analysis import analyse_network
from .graph import build_graph, forum_graph, organisation_graph
from .layout import layout
from .metrics import (
    betweenness,
    bridges,
    components,
    core_numbers,
    cut_agencies,
    degree_centralization,
    degrees,
    density,
    isolates,
    leads,
    reciprocity,
    roles,
    type_density,
)
from .pathways import (
    entry_points,
    group_coverage,
    partner_coverage,
    pathway_graph,
    referral_feedback,
    referral_pathways,
)
from .resilience import (
    agency_impacts,
    critical_ties,
    single_points_of_failure,
    tie_impacts,
    what_if,
)
from .views import embed_iframe, export_graph, interactive_html, static_image

__all__ = [
    "agency_impacts", "analyse_network", "betweenness", "bridges", "build_graph", "components",
    "core_numbers", "critical_ties", "cut_agencies", "degree_centralization", "degrees", "density",
    "entry_points", "forum_graph", "group_coverage", "isolates", "leads", "organisation_graph",
    "partner_coverage", "pathway_graph", "reciprocity", "referral_feedback", "referral_pathways",
    "roles", "single_points_of_failure", "tie_impacts", "type_density", "what_if",
    "embed_iframe", "export_graph", "interactive_html", "layout", "static_image",
]
