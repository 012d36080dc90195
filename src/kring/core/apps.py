from django.apps import AppConfig
from django.core.signals import request_finished
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate, pre_migrate
from django.tasks.signals import task_finished


class CoreConfig(AppConfig):
    name = "kring.core"
    label = "core"

    def ready(self) -> None:
        from kring.core.pagecache import finished, migrated, migrating, watch_writes

        # Every write through any connection gives its table a new version (the page cache).
        connection_created.connect(watch_writes, dispatch_uid="kring.pagecache.watch_writes")
        pre_migrate.connect(migrating, dispatch_uid="kring.pagecache.migrating")
        post_migrate.connect(migrated, dispatch_uid="kring.pagecache.migrated")
        request_finished.connect(finished, dispatch_uid="kring.pagecache.request_finished")
        task_finished.connect(finished, dispatch_uid="kring.pagecache.task_finished")
