"""Netkit: the materials library and document toolkit of a Danish AI health-data network.

The core package. It knows nothing of Flask or click: the CLI (`toolkit.cli`) and the web UI
(`webui`) are thin layers over it.
"""

__version__ = "0.1.0"
