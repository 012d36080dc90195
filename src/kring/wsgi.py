import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kring.settings")
application = get_wsgi_application()

if os.environ.get("KRING_WARM_START") == "1":  # set by `kring serve` (gunicorn --preload)
    import gc

    from kring.core.warm import warm_up

    warm_up(application)
    # Everything loaded so far lives as long as the process: keep it out of the collector's
    # sight, so a worker's collections stay short and never touch (copy) the pages it
    # shares with the master after fork.
    gc.collect()
    gc.freeze()
