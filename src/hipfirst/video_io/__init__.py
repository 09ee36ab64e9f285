"""Video I/O around the pure stages of :mod:`hipfirst.video`.

Decoding (``decode``, ``framegrab``, ``read_ahead``), the MediaPipe pose model
(``pose``), drawing and figures (``overlay``, ``render``, ``plots``), output
files (``writers``, ``trc``) and the loader of ``video/settings.yaml``
(``settings``). Importing this package is cheap: nothing is imported here.
"""
