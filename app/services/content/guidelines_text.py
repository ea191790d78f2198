"""The built-in community guidelines, in each language Kindred ships: version 1 until staff save their own.

The text in the community's default language is the original; the others are its translations (see
app/models/guidelines.py). They are whole Markdown documents, kept here rather than in the message catalogues.
"""

from __future__ import annotations

BUILT_IN_NOTES = {
    "en": "The original guidelines.",
    "es": "Las normas originales.",
    "fr": "La charte d’origine.",
    "de": "Die ursprünglichen Regeln.",
    "ar": "الإرشادات الأصلية.",
}

BUILT_IN_GUIDELINES = {
    "en": """\
This community works because members look after each other. These guidelines keep it safe and helpful.

## Be kind and respectful

Everyone here is dealing with something hard. Disagree with ideas, never with people. No harassment, insults or \
judgement of other people's choices about their own care.

## Share experience, not medical advice

Tell others what worked for you and what it was like. Don't tell anyone to start, stop or change a treatment: that \
is a conversation for them and their care team. Misleading health claims will be removed.

## Protect your privacy and others'

Use a nickname if you like. Don't post anyone's real name, address, phone number, photos or medical details without \
their permission — including your own details that you may later regret sharing.

## No selling or promotion

No advertising, fundraising, recruiting for studies or links to products you are connected with, unless the staff \
team has agreed to it.

## If you or someone else is at risk

This community is not an emergency service. If you are in danger or thinking about harming yourself, call your local \
emergency number now, or contact your care team or a crisis line.

## Moderation

Moderators may hold, edit, hide or remove posts and suspend accounts that break these guidelines. Every decision is \
recorded, and you will be told what happened to your post and why.
""",
    "es": """\
Esta comunidad funciona porque sus miembros se cuidan unos a otros. Estas normas la mantienen segura y útil.

## Trata a los demás con amabilidad y respeto

Todas las personas que están aquí atraviesan algo difícil. Discrepa de las ideas, nunca de las personas. No se \
permiten el acoso, los insultos ni los juicios sobre las decisiones que cada cual toma sobre su propio cuidado.

## Comparte tu experiencia, no consejos médicos

Cuenta a los demás lo que te ha funcionado y cómo lo viviste. No le digas a nadie que empiece, deje o cambie un \
tratamiento: esa conversación le corresponde a esa persona y a su equipo médico. Se eliminarán las afirmaciones \
engañosas sobre salud.

## Protege tu privacidad y la de los demás

Si lo prefieres, usa un seudónimo. No publiques el nombre real, la dirección, el teléfono, las fotos ni los datos \
médicos de nadie sin su permiso, tampoco datos tuyos que más adelante podrías lamentar haber compartido.

## Nada de ventas ni promoción

No se permiten anuncios, recaudaciones de fondos, captación de participantes para estudios ni enlaces a productos \
con los que tengas relación, salvo que el equipo lo haya aprobado.

## Si tú o alguien más está en peligro

Esta comunidad no es un servicio de emergencias. Si estás en peligro o piensas en hacerte daño, llama ahora al \
número de emergencias de tu zona, o contacta con tu equipo médico o con una línea de atención en crisis.

## Moderación

El equipo de moderación puede retener, editar, ocultar o retirar publicaciones y suspender las cuentas que no \
respeten estas normas. Cada decisión queda registrada, y te contaremos qué ha pasado con tu publicación y por qué.
""",
    "fr": """\
Cette communauté tient parce que ses membres prennent soin les uns des autres. Cette charte l’aide à rester sûre et \
utile.

## Bienveillance et respect

Chaque personne ici traverse quelque chose de difficile. Contestez les idées, jamais les personnes. Pas de \
harcèlement, pas d’insultes, pas de jugement sur les choix que chacun fait pour ses propres soins.

## Partagez votre expérience, pas des conseils médicaux

Racontez ce qui vous a aidé et comment vous l’avez vécu. Ne dites à personne de commencer, d’arrêter ou de modifier \
un traitement : c’est une décision à prendre avec son équipe soignante. Les affirmations trompeuses sur la santé \
seront retirées.

## Protégez votre vie privée et celle des autres

Vous pouvez utiliser un pseudonyme. Ne publiez pas le vrai nom, l’adresse, le numéro de téléphone, les photos ou les \
informations médicales de quelqu’un sans son accord — y compris des informations sur vous que vous pourriez \
regretter plus tard d’avoir partagées.

## Ni vente ni promotion

Pas de publicité, de collecte de fonds, de recrutement pour des études ni de liens vers des produits avec lesquels \
vous avez un lien, sauf accord de l’équipe.

## Si vous ou quelqu’un d’autre êtes en danger

Cette communauté n’est pas un service d’urgence. Si vous êtes en danger ou si vous pensez à vous faire du mal, \
appelez dès maintenant le numéro d’urgence de votre pays, ou contactez votre équipe soignante ou une ligne d’écoute.

## Modération

L’équipe de modération peut retenir, modifier, masquer ou retirer des messages et suspendre les comptes qui ne \
respectent pas cette charte. Chaque décision est consignée, et nous vous dirons ce qu’il est advenu de votre message \
et pourquoi.
""",
    "de": """\
Diese Gemeinschaft funktioniert, weil die Mitglieder aufeinander achten. Diese Regeln sorgen dafür, dass sie sicher \
und hilfreich bleibt.

## Freundlich und respektvoll

Alle hier machen gerade etwas Schweres durch. Widersprich Ideen, niemals Menschen. Keine Belästigung, keine \
Beleidigungen und kein Urteil über die Entscheidungen anderer zu ihrer eigenen Behandlung.

## Erfahrungen teilen, keine medizinischen Ratschläge

Erzähl anderen, was dir geholfen hat und wie es dir damit ging. Sag niemandem, eine Behandlung zu beginnen, \
abzubrechen oder zu ändern: Das bespricht jede Person mit ihrem eigenen Behandlungsteam. Irreführende Aussagen über \
Gesundheit werden entfernt.

## Schütze deine Privatsphäre und die der anderen

Du kannst gern einen Spitznamen verwenden. Veröffentliche keine echten Namen, Adressen, Telefonnummern, Fotos oder \
medizinischen Angaben anderer ohne ihre Erlaubnis – und auch keine eigenen Angaben, deren Weitergabe du später \
bereuen könntest.

## Kein Verkauf, keine Werbung

Keine Werbung, keine Spendenaufrufe, keine Anwerbung für Studien und keine Links zu Produkten, mit denen du in \
Verbindung stehst – es sei denn, das Team hat zugestimmt.

## Wenn du oder jemand anderes in Gefahr ist

Diese Gemeinschaft ist kein Notdienst. Wenn du in Gefahr bist oder daran denkst, dir etwas anzutun, ruf jetzt die \
Notrufnummer in deinem Land an oder wende dich an dein Behandlungsteam oder an ein Krisentelefon.

## Moderation

Das Moderationsteam kann Beiträge zurückhalten, bearbeiten, ausblenden oder entfernen und Konten sperren, die gegen \
diese Regeln verstoßen. Jede Entscheidung wird festgehalten, und du erfährst, was mit deinem Beitrag geschehen ist \
und warum.
""",
    "ar": """\
يقوم هذا المجتمع على اهتمام أعضائه بعضهم ببعض. وتساعد هذه الإرشادات على أن يبقى مكانًا آمنًا ومفيدًا.

## اللطف والاحترام

كل من هنا يمرّ بشيء صعب. اختلف مع الأفكار، لا مع الأشخاص. لا مكان للمضايقة أو الإهانة أو الحكم على خيارات \
الآخرين في رعايتهم لأنفسهم.

## شارك تجربتك، لا النصائح الطبية

أخبر الآخرين بما نفعك وكيف عشت التجربة. لا تطلب من أحد أن يبدأ علاجًا أو يوقفه أو يغيّره: فهذا حديث بينه وبين \
فريق رعايته. ستُحذف الادعاءات الصحية المضلِّلة.

## احمِ خصوصيتك وخصوصية الآخرين

يمكنك استخدام اسم مستعار إن شئت. لا تنشر الاسم الحقيقي لأي شخص أو عنوانه أو رقم هاتفه أو صوره أو معلوماته \
الطبية دون إذنه، ولا تنشر من معلوماتك الخاصة ما قد تندم لاحقًا على مشاركته.

## لا بيع ولا ترويج

لا إعلانات ولا جمع تبرعات ولا استقطاب للمشاركة في دراسات ولا روابط لمنتجات لك صلة بها، إلا بموافقة فريق العمل.

## إذا كنت أنت أو شخص آخر في خطر

هذا المجتمع ليس خدمة طوارئ. إذا كنت في خطر أو تفكر في إيذاء نفسك، فاتصل الآن برقم الطوارئ في بلدك، أو تواصل مع \
فريق رعايتك أو مع خط دعم للأزمات.

## الإشراف

يجوز لفريق الإشراف حجز المشاركات أو تعديلها أو إخفاؤها أو حذفها، وإيقاف الحسابات التي تخالف هذه الإرشادات. \
يُسجَّل كل قرار، وسنخبرك بما حدث لمشاركتك ولماذا.
""",
}
