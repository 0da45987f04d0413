"""The Voilà dashboards: their logic lives here, the notebooks in ``notebooks/`` only call it.

* :mod:`.serve` — ``workbench serve``: Voilà on 127.0.0.1 with preheated
  kernels, the landing page, no data files served, nothing from a CDN;
* :mod:`.common` — texts (the ``ui`` catalogue, in every language), the language switch, the request's parameters
  checked against the region list, escaping, the header and messages;
* :mod:`.workshop` — the regional workbench for working groups (one module per section): partner
  map, agency and tie forms, the questionnaire, radar and gaps;
* :mod:`.roadmap_view` — the roadmap for coordinators: gaps, actions,
  documents to download;
* :mod:`.conference` — all regions side by side for reviewers (read-only).

Each dashboard module has ``prepare()`` (imports, data and caches: run by a
preheated kernel before anyone asks for the page) and ``show()`` (run once
the visitor's request has arrived; reads ``?region=…&lang=…``).
"""
