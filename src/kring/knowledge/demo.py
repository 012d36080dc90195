"""Demo knowledge: a dozen posts in Dutch (some public) with comments."""

# ruff: noqa: E501 - Dutch demo prose

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from .models import Comment, KnowledgeTag, Post, PostImage

POSTS = [
    (
        "Wat we leerden over de eerste klant",
        "public",
        ["starters", "sales"],
        "Drie starters vertelden hoe ze hun eerste betalende klant vonden.",
        "## Wat werkte\n\n- Je eigen netwerk **eerst** vragen, niet koud bellen.\n"
        "- Een klein, concreet aanbod met een vaste prijs.\n- Na elk gesprek een korte mail.\n\n"
        "## Wat niet werkte\n\nFlyers. Niemand belde.",
    ),
    (
        "Boekhouden in je eerste jaar",
        "public",
        ["financiën", "starters"],
        "De vijf dingen die Bram elke starter over de boekhouding vertelt.",
        "1. Open een aparte zakelijke rekening.\n2. Leg elke bon vast, dezelfde dag.\n"
        "3. Reserveer 30% voor belasting.\n4. Stuur facturen binnen een week.\n"
        "5. Vraag hulp vóór de aangifte, niet erna.",
    ),
    (
        "Prijzen zetten zonder jezelf tekort te doen",
        "public",
        ["prijzen", "sales"],
        "Uurtarief of projectprijs? Wat we samen uitrekenden.",
        "We rekenden terug vanaf wat je per maand nodig hebt. Uitkomst: de meeste starters "
        "vragen **20 tot 40% te weinig**. Reken met 1.200 declarabele uren per jaar, niet 1.800.",
    ),
    (
        "Terugblik: bijeenkomst over marketing",
        "members",
        ["marketing"],
        "",
        "Lotte liet zien hoe ze met één nieuwsbrief per maand haar klanten vasthoudt. "
        "Afspraak: iedereen probeert het drie maanden en we vergelijken in maart.",
    ),
    (
        "Subsidies voor starters in Utrecht",
        "public",
        ["financiering", "starters"],
        "Een overzicht van regelingen die echt iets opleveren.",
        "- **Gemeente Utrecht**: starterskrediet via het Ondernemersloket.\n"
        "- **Qredits**: microkrediet tot € 50.000 met coaching.\n- **KvK**: gratis startersgesprek.",
    ),
    (
        "Onze ervaringen met coworkingplekken",
        "members",
        ["werkplek"],
        "",
        "Een rondje langs vijf plekken in de stad, met prijzen en sfeer. De bibliotheek wint op prijs.",
    ),
    (
        "Hoe je een goede pitch van 60 seconden maakt",
        "public",
        ["pitch", "sales"],
        "Wie, wat, voor wie, en wat je vraagt — in die volgorde.",
        "Begin met het probleem van je klant, niet met jezelf. Eindig met één concrete vraag "
        "aan de zaal. Oefen hardop, drie keer.",
    ),
    (
        "Verslag: koppelgesprekken van oktober",
        "members",
        ["kennismaken"],
        "",
        "Twaalf koppels spraken elkaar. Opvallend: de helft ontdekte een gedeelde passie buiten werk.",
    ),
    (
        "Algemene voorwaarden: wat moet erin?",
        "public",
        ["juridisch", "starters"],
        "Sanne zette de belangrijkste punten op een rij.",
        "Betalingstermijn, aansprakelijkheid, annulering en intellectueel eigendom. "
        "Gebruik een model van je branchevereniging als basis.",
    ),
    (
        "Fotografie voor je website met je telefoon",
        "public",
        ["marketing", "fotografie"],
        "Anna's tips: daglicht, rustige achtergrond, en veel foto's maken.",
        "Zet je telefoon op een stapel boeken, gebruik de timer, en maak 30 foto's. "
        "Eén is er altijd goed.",
    ),
    (
        "Vragen voor de volgende bijeenkomst",
        "members",
        ["agenda"],
        "",
        "Zet hieronder je vraag voor de open ronde. We nemen er drie mee.",
    ),
    (
        "Wat een mentor voor je kan doen",
        "public",
        ["coaching", "starters"],
        "Waarom we starters koppelen aan een ervaren ondernemer.",
        "Een mentor geeft geen antwoorden maar stelt de vragen die je jezelf vergeet te stellen. "
        "Eén uur per maand is genoeg.",
    ),
]

COMMENTS = [
    "Herkenbaar! Bij mij werkte een vaste prijs ook veel beter.",
    "Goede tip, die ga ik doorsturen naar de starter die ik coach.",
    "Kunnen we dit op de volgende bijeenkomst verder bespreken?",
    "Dank voor het opschrijven, dit scheelt me veel zoekwerk.",
]


def _demo_image(network: Any, author: Any) -> PostImage:
    """A generated picture for a post, stored like any upload (random name, served by a view)."""
    img = Image.new("RGB", (960, 480), "#2f6f6a")
    ImageDraw.Draw(img).rectangle((80, 80, 880, 400), fill="#f4efe6")
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=80)
    image = PostImage(network=network, uploader=author, width=960, height=480)
    image.image.save("image.jpg", ContentFile(out.getvalue()), save=False)
    image.save()
    return image


def seed(ctx: Any) -> None:
    network = ctx.network
    if Post.objects.filter(network=network).exists():
        return
    members = ctx.members()
    for i, (title, visibility, tags, summary, body) in enumerate(POSTS):
        author = members[i % len(members)] if members else ctx.host
        if i == 0:  # a public post shows an image (public on purpose)
            body = f"![{title}]({_demo_image(network, author).url})\n\n{body}"
        post = Post.objects.create(
            network=network,
            author=author,
            title=title,
            summary=summary,
            body=body,
            visibility=visibility,
        )
        created = ctx.now - timedelta(days=3 * (len(POSTS) - i), hours=ctx.rng.randint(0, 10))
        Post.objects.filter(pk=post.pk).update(created_at=created, updated_at=created)
        post.tags.set(
            [KnowledgeTag.objects.get_or_create(network=network, name=t)[0] for t in tags]
        )
        for j in range(ctx.rng.randint(0, 3)):
            commenter = members[ctx.rng.randrange(len(members))] if members else ctx.member
            c = Comment.objects.create(
                post=post, author=commenter, body=COMMENTS[(i + j) % len(COMMENTS)]
            )
            Comment.objects.filter(pk=c.pk).update(created_at=created + timedelta(hours=5 + j))
