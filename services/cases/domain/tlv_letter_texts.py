"""The fixed texts of the decision letter on a TLV application (issue 14), in the six languages
parents read, as the OPP's (plan_texts.py): Dutch (the source), English, Turkish, Arabic (right
to left), Polish and Ukrainian. The names (pupil, school, partnership) and the Dutch legal terms
the parent needs to recognise — TLV, bezwaar, the Landelijke Bezwaaradviescommissie Passend
Onderwijs, Onderwijsgeschillen — stay as they are. The Turkish, Arabic, Polish and Ukrainian texts
were written by a non-native speaker and need review by a native speaker (docs/TRANSLATIONS.md);
they use the words of the parents' pages (kabul belgesi, إفادة قبول, orzeczenie o przyjęciu,
довідка про допуск).

Each entry is a tuple in the order of plan_texts.LANGUAGES.
"""

from __future__ import annotations

Six = tuple[str, str, str, str, str, str]

# fmt: off
TEXTS: dict[str, Six] = {
    "title": (
        "Besluit op de aanvraag van een toelaatbaarheidsverklaring",
        "Decision on the application for an admission statement (toelaatbaarheidsverklaring)",
        "Kabul belgesi (TLV) başvurusu hakkında karar",
        "قرار بشأن طلب إفادة القبول (TLV)",
        "Decyzja w sprawie wniosku o orzeczenie o przyjęciu (TLV)",
        "Рішення щодо заяви про довідку про допуск (TLV)",
    ),
    "reference": ("Kenmerk", "Reference", "Dosya numarası", "الرقم المرجعي", "Znak sprawy",
                  "Номер справи"),
    "date": ("Datum besluit", "Date of decision", "Karar tarihi", "تاريخ القرار",
             "Data decyzji", "Дата рішення"),
    "pupil": ("Leerling", "Pupil", "Öğrenci", "التلميذ", "Uczeń", "Учень"),
    "born": ("Geboortedatum", "Date of birth", "Doğum tarihi", "تاريخ الميلاد",
             "Data urodzenia", "Дата народження"),
    "school": ("Aanvragende school", "Applying school", "Başvuran okul",
               "المدرسة التي قدّمت الطلب", "Szkoła składająca wniosek",
               "Школа, що подала заяву"),
    "submitted": ("Aanvraag ingediend op", "Application submitted on", "Başvuru tarihi",
                  "تاريخ تقديم الطلب", "Data złożenia wniosku", "Дата подання заяви"),
    "decision": ("Besluit", "Decision", "Karar", "القرار", "Decyzja", "Рішення"),
    "granted": (
        "{partnership} geeft een toelaatbaarheidsverklaring af.",
        "{partnership} grants an admission statement.",
        "{partnership} kabul belgesini (TLV) veriyor.",
        "تمنح شراكة التعليم {partnership} إفادة القبول (TLV).",
        "{partnership} wydaje orzeczenie o przyjęciu (TLV).",
        "{partnership} видає довідку про допуск (TLV).",
    ),
    "refused": (
        "{partnership} geeft geen toelaatbaarheidsverklaring af.",
        "{partnership} does not grant an admission statement.",
        "{partnership} kabul belgesini (TLV) vermiyor.",
        "لا تمنح شراكة التعليم {partnership} إفادة القبول (TLV).",
        "{partnership} nie wydaje orzeczenia o przyjęciu (TLV).",
        "{partnership} не видає довідки про допуск (TLV).",
    ),
    "type": ("Soort onderwijs", "Type of education", "Eğitim türü", "نوع التعليم",
             "Rodzaj szkoły", "Тип освіти"),
    "category": ("Categorie", "Category", "Kategori", "الفئة", "Kategoria", "Категорія"),
    "validity": ("Geldig", "Valid", "Geçerlilik süresi", "مدة الصلاحية", "Okres ważności",
                 "Строк дії"),
    "from_until": (
        "van {start} tot en met {end}",
        "from {start} up to and including {end}",
        "{start} tarihinden {end} tarihine kadar (dahil)",
        "من {start} حتى {end} ضمنًا",
        "od {start} do {end} włącznie",
        "з {start} до {end} включно",
    ),
    "advices": ("Adviezen van deskundigen", "Expert advices", "Uzman görüşleri",
                "آراء الخبراء", "Opinie ekspertów", "Висновки експертів"),
    "advice": (
        "{role}, advies van {on}",
        "{role}, advice of {on}",
        "{role}, {on} tarihli görüş",
        "{role}، رأي بتاريخ {on}",
        "{role}, opinia z dnia {on}",
        "{role}, висновок від {on}",
    ),
    "no_agreement": (
        "De school heeft de aanvraag ingediend zonder instemming van de ouders.",
        "The school submitted the application without the parents' agreement.",
        "Okul, başvuruyu velilerin onayı olmadan yaptı.",
        "قدّمت المدرسة الطلب دون موافقة الوالدين.",
        "Szkoła złożyła wniosek bez zgody rodziców.",
        "Школа подала заяву без згоди батьків.",
    ),
    "objection": ("Bezwaar maken", "How to object", "İtiraz etme", "الاعتراض",
                  "Sprzeciw", "Заперечення"),
    "objection_text": (
        "Bent u het niet eens met dit besluit? Dan kunt u binnen zes weken na de datum van dit "
        "besluit schriftelijk bezwaar maken bij {partnership}, volgens de bezwaarprocedure van "
        "het samenwerkingsverband. Zet in uw bezwaarschrift uw naam en adres, de datum, het "
        "kenmerk van dit besluit en waarom u het er niet mee eens bent, en onderteken het.",
        "If you do not agree with this decision, you may object (bezwaar) in writing to "
        "{partnership} within six weeks of the date of this decision, following the "
        "partnership's objection procedure. Give your name and address, the date, the reference "
        "of this decision and why you disagree, and sign it.",
        "Bu karara katılmıyor musunuz? O zaman bu kararın tarihinden itibaren altı hafta içinde "
        "{partnership} kurumuna, işbirliği kurumunun itiraz usulüne göre yazılı olarak itiraz "
        "(bezwaar) edebilirsiniz. İtiraz dilekçenize adınızı ve adresinizi, tarihi, bu kararın "
        "dosya numarasını ve neden katılmadığınızı yazın ve dilekçeyi imzalayın.",
        "إذا كنتم لا توافقون على هذا القرار، يمكنكم تقديم اعتراض (bezwaar) كتابي إلى "
        "{partnership} خلال ستة أسابيع من تاريخ هذا القرار، وفق إجراءات الاعتراض لدى شراكة "
        "التعليم. اكتبوا في الاعتراض اسمكم وعنوانكم والتاريخ والرقم المرجعي لهذا القرار وسبب "
        "عدم موافقتكم، ثم وقّعوه.",
        "Jeśli nie zgadzają się Państwo z tą decyzją, mogą Państwo w ciągu sześciu tygodni od "
        "daty tej decyzji złożyć pisemny sprzeciw (bezwaar) do {partnership}, zgodnie z "
        "procedurą sprzeciwu związku szkół. W sprzeciwie proszę podać imię, nazwisko i adres, "
        "datę, znak sprawy tej decyzji oraz powód, dla którego się Państwo nie zgadzają, i "
        "podpisać go.",
        "Якщо ви не згодні з цим рішенням, ви можете протягом шести тижнів від дати цього "
        "рішення подати письмове заперечення (bezwaar) до {partnership} за процедурою "
        "заперечень освітнього об’єднання. Укажіть у запереченні своє ім’я та адресу, дату, "
        "номер справи цього рішення і чому ви не згодні, та підпишіть його.",
    ),
    "lbc_text": (
        "Voordat het samenwerkingsverband op uw bezwaar beslist, vraagt het advies aan de "
        "Landelijke Bezwaaradviescommissie Passend Onderwijs. Die commissie is ondergebracht "
        "bij Onderwijsgeschillen in Utrecht (www.onderwijsgeschillen.nl).",
        "Before the partnership decides on your objection, it asks the national objection "
        "advisory committee for appropriate education (Landelijke Bezwaaradviescommissie "
        "Passend Onderwijs) for advice. The committee is part of Onderwijsgeschillen in "
        "Utrecht (www.onderwijsgeschillen.nl).",
        "İşbirliği kurumu itirazınız hakkında karar vermeden önce ulusal itiraz danışma "
        "kurulunun (Landelijke Bezwaaradviescommissie Passend Onderwijs) görüşünü alır. Bu "
        "kurul Utrecht'teki Onderwijsgeschillen bünyesindedir (www.onderwijsgeschillen.nl).",
        "قبل أن تبتّ شراكة التعليم في اعتراضكم، تطلب رأي اللجنة الوطنية الاستشارية للاعتراضات "
        "(Landelijke Bezwaaradviescommissie Passend Onderwijs). وهذه اللجنة تابعة لـ "
        "Onderwijsgeschillen في أوترخت (www.onderwijsgeschillen.nl).",
        "Zanim związek szkół rozstrzygnie Państwa sprzeciw, prosi o opinię krajową komisję "
        "doradczą ds. sprzeciwów (Landelijke Bezwaaradviescommissie Passend Onderwijs). "
        "Komisja działa przy Onderwijsgeschillen w Utrechcie (www.onderwijsgeschillen.nl).",
        "Перш ніж освітнє об’єднання ухвалить рішення щодо вашого заперечення, воно просить "
        "висновок національної консультативної комісії з заперечень (Landelijke "
        "Bezwaaradviescommissie Passend Onderwijs). Комісія працює при Onderwijsgeschillen в "
        "Утрехті (www.onderwijsgeschillen.nl).",
    ),
    "signature": ("Namens {partnership}", "On behalf of {partnership}", "{partnership} adına",
                  "نيابةً عن {partnership}", "W imieniu {partnership}",
                  "Від імені {partnership}"),
}

SCHOOL_TYPES: dict[str, Six] = {
    "sbo": ("speciaal basisonderwijs (SBO)", "special primary school (SBO)",
            "özel ilkokul (SBO)", "مدرسة ابتدائية خاصة (SBO)",
            "specjalna szkoła podstawowa (SBO)", "спеціальна початкова школа (SBO)"),
    "so": ("speciaal onderwijs (SO)", "special school (SO)", "özel eğitim okulu (SO)",
           "مدرسة التعليم الخاص (SO)", "szkoła specjalna (SO)", "спеціальна школа (SO)"),
}
CATEGORIES: dict[str, Six] = {
    "low": ("laag (categorie 1)", "low (category 1)", "düşük (kategori 1)",
            "منخفضة (الفئة 1)", "niska (kategoria 1)", "низька (категорія 1)"),
    "medium": ("midden (categorie 2)", "medium (category 2)", "orta (kategori 2)",
               "متوسطة (الفئة 2)", "średnia (kategoria 2)", "середня (категорія 2)"),
    "high": ("hoog (categorie 3)", "high (category 3)", "yüksek (kategori 3)",
             "عالية (الفئة 3)", "wysoka (kategoria 3)", "висока (категорія 3)"),
}
ADVISERS: dict[str, Six] = {
    "orthopedagoog": ("Orthopedagoog", "Educational psychologist (orthopedagoog)",
                      "Eğitim psikoloğu (orthopedagoog)", "أخصائي تربوي (orthopedagoog)",
                      "Pedagog specjalny (orthopedagoog)",
                      "Корекційний педагог (orthopedagoog)"),
    "psycholoog": ("Psycholoog", "Psychologist", "Psikolog", "أخصائي نفسي", "Psycholog",
                   "Психолог"),
    "deskundige": ("Tweede deskundige", "Second expert", "İkinci uzman", "الخبير الثاني",
                   "Drugi ekspert", "Другий експерт"),
}
# fmt: on
