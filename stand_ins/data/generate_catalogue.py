"""Generates the fakes' bundled catalogue: invented films, deterministic from a seed, and
well-known real titles (data/well_known.py) with invented overviews.

Run `python -m stand_ins.data.generate_catalogue` to rewrite catalogue.json. Overviews,
posters, offers and ids are made up here; the invented films' titles too (TMDB-like ids from
100001, Watchmode-like from 3000001); the well-known films carry only their real title, year
and IMDb id (ids from 200001 and 3100001). Only the vendor *shapes* are real.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from stand_ins.data.well_known import FILMS

SEED = 20261122
COUNT = 320
OUTPUT = Path(__file__).with_name("catalogue.json")

GENRES = {
    28: "Action",
    12: "Adventure",
    16: "Animation",
    35: "Comedy",
    80: "Crime",
    99: "Documentary",
    18: "Drama",
    10751: "Family",
    14: "Fantasy",
    36: "History",
    27: "Horror",
    10402: "Music",
    9648: "Mystery",
    10749: "Romance",
    878: "Science Fiction",
    53: "Thriller",
    10752: "War",
    37: "Western",
}

# (id, name, watchmode type, regions): invented ids, service names as users know them.
SOURCES = [
    (203, "Netflix", "sub", ["US", "GB", "PL", "DE", "FR"]),
    (157, "Hulu", "sub", ["US"]),
    (387, "HBO Max", "sub", ["US", "PL"]),
    (372, "Disney+", "sub", ["US", "GB", "PL", "DE", "FR"]),
    (26, "Prime Video", "sub", ["US", "GB", "PL", "DE", "FR"]),
    (371, "Apple TV+", "sub", ["US", "GB", "PL", "DE", "FR"]),
    (251, "MUBI", "sub", ["US", "GB", "PL"]),
    (610, "SkyShowtime", "sub", ["PL"]),
    (611, "Canal+", "sub", ["PL", "FR"]),
    (612, "Player", "sub", ["PL"]),
    (349, "iTunes", "rent_buy", ["US", "GB", "PL", "DE", "FR"]),
    (140, "Google Play", "rent_buy", ["US", "GB", "PL", "DE"]),
    (73, "Tubi", "free", ["US"]),
    (300, "Pluto TV", "free", ["US", "DE"]),
]

ADJECTIVES = [
    "Silent",
    "Hollow",
    "Crimson",
    "Distant",
    "Broken",
    "Golden",
    "Last",
    "Hidden",
    "Northern",
    "Quiet",
    "Burning",
    "Paper",
    "Velvet",
    "Glass",
    "Iron",
    "Midnight",
    "Forgotten",
    "Electric",
    "Wandering",
    "Winter",
    "Summer",
    "Bitter",
    "Gentle",
    "Restless",
    "Lonely",
    "Secret",
    "Salt",
    "Amber",
    "Wild",
    "Pale",
    "Copper",
    "Lucky",
    "Drowned",
    "Painted",
    "Falling",
]
NOUNS = [
    "Harbor",
    "Orchard",
    "Signal",
    "Lantern",
    "Garden",
    "Frontier",
    "Archive",
    "Mirror",
    "Tide",
    "Station",
    "Island",
    "Circus",
    "Engine",
    "Cathedral",
    "Meadow",
    "Machine",
    "Comet",
    "River",
    "Letter",
    "Kingdom",
    "Lighthouse",
    "Border",
    "Voyage",
    "Carnival",
    "Avenue",
    "Witness",
    "Shelter",
    "Orbit",
    "Canyon",
    "Ballad",
    "Atlas",
    "Furnace",
    "Echo",
    "Bridge",
]
NAMES = [
    "Ada",
    "Milo",
    "Irena",
    "Tomasz",
    "Nadia",
    "Otto",
    "Lena",
    "Bruno",
    "Vera",
    "Felix",
    "Zofia",
    "Hugo",
    "Maren",
    "Ezra",
]
PLACES = [
    "Gdansk",
    "Lisbon",
    "Marseille",
    "Tallinn",
    "Oslo",
    "Palermo",
    "Krakow",
    "Dresden",
    "Bristol",
    "Tucson",
]
PATTERNS = (
    "The {adj} {noun}",
    "{adj} {noun}",
    "The {noun} of {place}",
    "{name}'s {noun}",
    "A {adj} {noun} in {place}",
    "{noun}s",
    "After the {noun}",
    "{name} and the {adj} {noun}",
)
PLOTS = (
    "A {job} in {place} finds {thing} and has one {span} to decide what it is worth.",
    "Two {rel} cross {place} to return {thing} before the {season} ends.",
    "When {thing} goes missing, a retired {job} takes one last case in {place}.",
    "A {job} and a stranger share {thing} over one long {season} in {place}.",
)
JOBS = [
    "cartographer",
    "archivist",
    "pilot",
    "baker",
    "detective",
    "violinist",
    "nurse",
    "lighthouse-keeper",
]
THINGS = [
    "a sealed letter",
    "an old map",
    "a stolen violin",
    "a broken compass",
    "a box of photographs",
    "a talking radio",
    "a forged passport",
]
RELS = ["sisters", "strangers", "rivals", "brothers", "neighbours", "old-friends"]
SEASONS = ["summer", "winter", "harvest", "festival"]
SPANS = ["night", "week", "summer"]


def _title(rng: random.Random) -> str:
    pattern = rng.choice(PATTERNS)
    return pattern.format(
        adj=rng.choice(ADJECTIVES),
        noun=rng.choice(NOUNS),
        place=rng.choice(PLACES),
        name=rng.choice(NAMES),
    )


def _overview(rng: random.Random) -> str:
    return rng.choice(PLOTS).format(
        job=rng.choice(JOBS).replace("-", " "),
        place=rng.choice(PLACES),
        thing=rng.choice(THINGS),
        rel=rng.choice(RELS).replace("-", " "),
        season=rng.choice(SEASONS),
        span=rng.choice(SPANS),
    )


def _offers(rng: random.Random, slug: str) -> list[dict[str, object]]:
    offers: list[dict[str, object]] = []
    for source_id, name, kind, regions in rng.sample(SOURCES, rng.randint(0, 4)):
        for region in rng.sample(regions, rng.randint(1, min(3, len(regions)))):
            types = ["rent", "buy"] if kind == "rent_buy" else [kind]
            for offer_type in types:
                price = (
                    round(rng.uniform(2.99, 19.99), 2) if offer_type in ("rent", "buy") else None
                )
                offers.append(
                    {
                        "source_id": source_id,
                        "name": name,
                        "type": offer_type,
                        "region": region,
                        "web_url": f"https://watch.example/{source_id}/{slug}?r={region}",
                        "format": rng.choice(["HD", "4K", "SD"]),
                        "price": price,
                    }
                )
    return offers


def well_known(seed: int) -> list[dict[str, Any]]:
    """Real titles and years (ids from 200001), invented overviews, generated posters."""
    rng = random.Random(seed + 1)
    films = []
    for index, (title, year, imdb_id, genres) in enumerate(FILMS, start=1):
        tmdb_id = 200000 + index
        slug = "".join(c if c.isalnum() else "-" for c in title.lower()).strip("-")
        films.append(
            {
                "id": tmdb_id,
                "watchmode_id": 3100000 + index,
                "imdb_id": imdb_id,
                "title": title,
                "original_title": title,
                "original_language": "en",
                "release_date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "genre_ids": genres,
                "overview": _overview(rng),
                "runtime": rng.randint(85, 170),
                "popularity": round(rng.uniform(60.0, 200.0), 3),
                "vote_average": round(rng.uniform(7.0, 8.9), 1),
                "vote_count": rng.randint(5000, 30000),
                "poster_path": f"/kairos{tmdb_id}.svg",
                "sources": _offers(rng, slug),
            }
        )
    return films


def generate(seed: int = SEED, count: int = COUNT) -> dict[str, Any]:
    rng = random.Random(seed)
    seen: set[str] = set()
    movies: list[dict[str, Any]] = []
    index = 0
    while len(movies) < count:
        title = _title(rng)
        if title in seen:
            continue
        seen.add(title)
        index += 1
        tmdb_id = 100000 + index
        year = rng.randint(1962, 2026)
        slug = "".join(c if c.isalnum() else "-" for c in title.lower()).strip("-")
        movies.append(
            {
                "id": tmdb_id,
                "watchmode_id": 3000000 + index,
                "imdb_id": f"tt9{index:06d}",
                "title": title,
                "original_title": title,
                "original_language": rng.choice(["en", "en", "en", "pl", "fr", "de"]),
                "release_date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "genre_ids": rng.sample(sorted(GENRES), rng.randint(1, 3)),
                "overview": _overview(rng),
                "runtime": rng.randint(78, 174),
                "popularity": round(rng.uniform(0.5, 120.0), 3),
                "vote_average": round(rng.uniform(4.0, 8.9), 1),
                "vote_count": rng.randint(3, 25000),
                "poster_path": None if index % 29 == 0 else f"/kairos{tmdb_id}.svg",
                "sources": _offers(rng, slug),
            }
        )
    movies.extend(well_known(seed))
    return {
        "seed": seed,
        "genres": [{"id": k, "name": v} for k, v in GENRES.items()],
        "sources": [
            {
                "id": sid,
                "name": name,
                "type": "purchase" if kind == "rent_buy" else kind,
                "regions": regions,
            }
            for sid, name, kind, regions in SOURCES
        ],
        "movies": movies,
    }


if __name__ == "__main__":
    data = generate()
    movies = data.pop("movies")
    head = json.dumps(data, ensure_ascii=False)[:-1]
    lines = ",\n".join(json.dumps(m, ensure_ascii=False, separators=(",", ":")) for m in movies)
    OUTPUT.write_text(f'{head}, "movies": [\n{lines}\n]}}\n')
    print(f"wrote {OUTPUT}")
