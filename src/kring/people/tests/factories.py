from __future__ import annotations

import factory
from allauth.account.models import EmailAddress

from kring.people.models import Profile, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "kring-test-pw")
    language = "en"

    @factory.post_generation
    def profile(self, create: bool, extracted: object, **kwargs: object) -> None:
        if not create:
            return
        self.save()
        EmailAddress.objects.get_or_create(
            user=self, email=self.email, defaults={"verified": True, "primary": True}
        )
        Profile.objects.get_or_create(
            user=self,
            defaults={
                "display_name": kwargs.get("display_name") or self.email.split("@")[0].title()
            },
        )
