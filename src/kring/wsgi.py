import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kring.settings")
application = get_wsgi_application()

if os.environ.get("KRING_WARM_START") == "1":  # set by `kring serve` (gunicorn --preload)
    from kring.core.warm import warm_up

    warm_up(application)
