"""Keeping slow optional imports of other libraries out of the workbench's processes.

jsonschema checks the ``iri`` string format with *rfc3987-syntax* when that
package is installed (Jupyter's ``format-nongpl`` extra installs it), and
rfc3987-syntax compiles a Lark grammar as it is imported: 1.3–2.5 s of CPU
in every process that imports jsonschema, which Jupyter's server
(through jupyter_events) and nbformat both do. Measured here: starting a
JupyterHub user's single-user server 3.8 s, of which 1.9 s is that import;
importing nbformat, nbclient and nbconvert 2.9–3.5 s with it, 0.6–0.9 s
without. No schema the workbench, Jupyter's events or notebooks use checks
the ``iri`` format (jsonschema then leaves it unchecked), so the workbench
leaves the import out with :func:`skip_rfc3987_syntax` before importing
those libraries.
"""

from __future__ import annotations

import sys


def skip_rfc3987_syntax() -> bool:
    """Keep jsonschema from importing rfc3987-syntax, unless jsonschema is imported already.

    Call it before anything imports jsonschema (nbformat, jupyter_server, Voilà).

    Returns
    -------
    bool
        ``True`` when the import is now left out, ``False`` when it is too late (jsonschema was
        imported before) or rfc3987-syntax was imported already.

    Examples
    --------
    >>> import sys
    >>> skip_rfc3987_syntax() == (sys.modules.get("rfc3987_syntax", "absent") is None)
    True
    """
    if "jsonschema" in sys.modules:
        return sys.modules.get("rfc3987_syntax", "absent") is None
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
    return sys.modules["rfc3987_syntax"] is None
