"""The demo programme's people: organisations across the sectors, and learners who work for them."""

from __future__ import annotations

from sqlalchemy import select

from leaders.auth.models import User
from leaders.extensions import db
from leaders.organisations.models import Organisation
from leaders.places.models import Place

# name, sector, GSS code of the place it mainly serves (None: national or regional body)
ORGANISATIONS = [
    ("Barnsley Metropolitan Borough Council", "local_government", "E08000016"),
    ("Sheffield City Council", "local_government", "E08000019"),
    ("City of Doncaster Council", "local_government", "E08000017"),
    ("Rotherham Metropolitan Borough Council", "local_government", "E08000018"),
    ("NHS South Yorkshire Integrated Care Board", "nhs", "E08000019"),
    ("Sheffield Teaching Hospitals NHS Foundation Trust", "nhs", "E08000019"),
    ("Barnsley Hospital NHS Foundation Trust", "nhs", "E08000016"),
    ("South Yorkshire Police", "police", "E08000019"),
    ("South Yorkshire Fire and Rescue", "fire_and_rescue", "E08000019"),
    ("South Yorkshire Mayoral Combined Authority", "combined_authority", "E08000019"),
    ("Barnsley College", "education", "E08000016"),
    ("Sheffield Hallam University", "education", "E08000019"),
    ("Voluntary Action Sheffield", "voluntary_and_community", "E08000019"),
    ("Kent County Council", "local_government", "E10000016"),
    ("Maidstone Borough Council", "local_government", "E07000110"),
    ("Medway Council", "local_government", "E06000035"),
    ("NHS Kent and Medway Integrated Care Board", "nhs", "E10000016"),
    ("Kent Police", "police", "E10000016"),
    ("Kent Fire and Rescue Service", "fire_and_rescue", "E10000016"),
    ("Cumberland Council", "local_government", "E06000063"),
    ("Westmorland and Furness Council", "local_government", "E06000064"),
    ("North Cumbria Integrated Care NHS Foundation Trust", "nhs", "E06000063"),
    ("Cumbria Police", "police", "E06000063"),
    ("Jobcentre Plus (Department for Work and Pensions)", "central_government", None),
    ("Business in the Community", "business", None),
]

JOB_TITLES = {
    "local_government": [
        "Head of Housing",
        "Assistant Director, Adult Social Care",
        "Head of Regeneration",
        "Service Manager, Children's Services",
        "Head of Public Health",
        "Head of Policy",
    ],
    "nhs": [
        "Clinical Lead, Community Services",
        "Director of Strategy",
        "Head of Nursing",
        "Associate Director of Transformation",
        "Consultant in Public Health",
    ],
    "police": ["Superintendent", "Chief Inspector, Neighbourhood Policing", "Head of Partnerships"],
    "fire_and_rescue": ["Station Manager", "Group Manager, Prevention", "Head of Community Safety"],
    "combined_authority": [
        "Head of Skills",
        "Head of Economic Strategy",
        "Programme Director, Transport",
    ],
    "education": [
        "Vice Principal",
        "Head of Employer Partnerships",
        "Director of Civic Engagement",
    ],
    "voluntary_and_community": ["Chief Executive", "Head of Community Development"],
    "central_government": ["Partnership Manager", "District Operations Leader"],
    "business": ["Regional Director"],
}

FIRST = [
    "Aisha",
    "Ben",
    "Chloe",
    "Daniel",
    "Emma",
    "Farhan",
    "Grace",
    "Harry",
    "Imogen",
    "Jack",
    "Kiran",
    "Laura",
    "Mohammed",
    "Nadia",
    "Oliver",
    "Priya",
    "Rachel",
    "Sam",
    "Tariq",
    "Uma",
    "Victoria",
    "Will",
    "Yasmin",
    "Zoe",
    "Adam",
    "Bethany",
    "Callum",
    "Deborah",
    "Ethan",
    "Fiona",
    "Gareth",
    "Hannah",
    "Isaac",
    "Jasmine",
    "Kwame",
    "Lucy",
    "Martin",
    "Niamh",
    "Owen",
    "Paula",
]
LAST = [
    "Ahmed",
    "Baker",
    "Clarke",
    "Dixon",
    "Evans",
    "Fletcher",
    "Green",
    "Hussain",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Murphy",
    "Nowak",
    "O'Brien",
    "Patel",
    "Quinn",
    "Robinson",
    "Shah",
    "Taylor",
    "Upton",
    "Varley",
    "Walker",
    "Young",
    "Begum",
    "Chowdhury",
    "Edwards",
    "Foster",
    "Hughes",
    "Mensah",
]


def add_organisations() -> list[Organisation]:
    known = {o.name.lower(): o for o in db.session.execute(select(Organisation)).scalars()}
    places = set(db.session.execute(select(Place.code)).scalars())
    result = []
    for name, sector, code in ORGANISATIONS:
        org = known.get(name.lower())
        if org is None:
            org = Organisation(
                name=name, sector=sector, place_code=code if code in places else None
            )
            db.session.add(org)
        result.append(org)
    db.session.flush()
    return result


def add_learners(rng, cohort_index, size, orgs, password_hash, now) -> list[User]:
    users = []
    for n in range(size):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        org = orgs[n % len(orgs)]
        email = f"{first}.{last}.{cohort_index}{n}@example.org".lower().replace("'", "")
        user = db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()
        if user is None:
            user = User(
                email=email,
                name=f"{first} {last}",
                job_title=rng.choice(JOB_TITLES[org.sector]),
                organisation_id=org.id,
                password_hash=password_hash,
                role="learner",
            )
            db.session.add(user)
        users.append(user)
    db.session.flush()
    return users


def sector_of(user) -> str | None:
    org = db.session.get(Organisation, user.organisation_id) if user.organisation_id else None
    return org.sector if org else None
