__version__ = "0.1.0"


def load_ipython_extension(ipython):  # type: ignore[no-untyped-def]
    """`%load_ext tutor` in Jupyter or Colab: the `%tutor` magics (tutor/notebook/magics.py).

    Imported only then, so the command-line tutor never loads IPython."""
    from tutor.notebook.magics import load

    load(ipython)
