"""The package's version and the API it binds: the version every virtkit package is released at,
and the newest released symbol block of api/public.syms (VIRTKIT_x.y.z). Both are kept equal to
the TypeScript packages' by scripts/check-versions.mjs (--fix rewrites them); pyproject.toml reads
__version__ from here."""
__version__ = "0.1.0"
API_VERSION = "0.1.0"
