# STATUS: reviewed
# Svenska: resurscentrumets eget språk och källtexten. Varje annan språkfil måste ha exakt samma nycklar.
# Skriv kort och enkelt: den som läser kan vara rädd, ung och ha gått kort tid i skolan.
# Inga HTML-taggar här: sidorna sätter rubriker, fetstil och nummer själva.

## Ramen runt varje sida

exit-link = Lämna sidan snabbt
skip-link = Hoppa till innehållet
language-nav = Välj språk
footer-note = Den här webbplatsen använder inga kakor (cookies) och inga skript. Den sparar inget av det du skriver i din webbläsare.
home-link = Till startsidan

## Nödnummer

emergency-heading = Är du i fara?
emergency-call-112 = Är du eller någon annan i fara just nu? Ring 112.
emergency-short = Är du i fara just nu? Ring 112.
number-112 = Larmnumret när det är akut fara: polis, ambulans och räddningstjänst.
number-police = Polisen när det inte är akut, till exempel för att göra en anmälan eller få råd.
number-bris = BRIS, för dig som är under 18 år.
number-kvinnofrid = Kvinnofridslinjen, stödtelefon för kvinnor som utsätts för hot och våld, och för deras anhöriga. Gratis och öppen dygnet runt.
number-health = Vårdguiden, råd om vård dygnet runt.

## Fel i formulär

error-summary-heading = Något behöver rättas till
error-prefix = Fel:
error-field-generic = Kontrollera det här fältet.
error-group-missing = Välj det som stämmer bäst för dig.
error-message-empty = Skriv ett meddelande.
error-message-too-long = Meddelandet är för långt. Korta det till högst { $max } tecken.
error-language-unknown = Välj vilket språk du vill ha svar på.
error-code-empty = Skriv in din kod.
error-code-format = Skriv in hela koden, precis som du fick den. Koden har bara siffror.
error-code-typo = Någon siffra i koden är fel. Kontrollera siffrorna och försök igen.
error-form-expired = Det tog för lång tid, så formuläret slutade gälla. Ditt meddelande är inte skickat ännu. Din text finns kvar här nedanför. Tryck på Skicka igen.
error-form-already-sent = Formuläret har redan skickats. Om du inte fick någon kod: skriv ditt meddelande igen och skicka det.
error-form-invalid = Formuläret gick inte att använda, kanske för att det var öppet för länge. För din säkerhet visas inte det du skrev igen. Fyll i formuläret en gång till.
error-rate-limited = Det har varit för många försök på kort tid. Vänta några minuter och försök sedan igen.
error-busy = Sidan hinner inte med just nu, så ditt meddelande är inte skickat ännu. Din text finns kvar här nedanför. Vänta en liten stund och tryck på Skicka igen.
error-internal = Något gick fel hos oss, så ditt meddelande är inte skickat. Din text finns kvar här nedanför. Försök igen om en stund.
message-hint = Högst { $max } tecken.

## Startsidan

landing-heading = Stöd mot hedersrelaterat våld och förtryck
landing-intro = Vi ger råd och stöd till dig som lever med hedersrelaterat våld, hot eller kontroll. Vi finns också för dig som oroar dig för någon annan, och för dig som möter frågan i ditt arbete. Vi kan hjälpa dig vidare till socialtjänsten, polisen och vården.
landing-anonymous = Du kan skriva till oss helt anonymt. Vi frågar inte vem du är.
landing-write = Skriv till oss
landing-return-heading = Har du redan en kod?
return-code-label = Din kod
return-code-hint = Koden du fick när du skrev till oss. Mellanslag spelar ingen roll.
return-submit = Läs samtalet
landing-safety-onion = I Tor Browser kan du också nå oss på vår onion-adress:

## Kontaktformuläret

contact-heading = Skriv till oss
contact-intro = Du behöver inte skriva ditt namn eller något annat som visar vem du är. Skriv det du vill berätta.
contact-group-legend = Vad stämmer bäst för dig?
group-exposed = Jag utsätts själv för våld, hot eller kontroll
group-relative = Jag oroar mig för någon annan: en anhörig, vän eller partner
group-used-violence = Jag har utsatt någon för våld eller kontroll och vill sluta
group-professional = Jag möter frågan i mitt arbete och vill ha konsultation
group-other = Något annat
contact-urgent-label = Jag är i fara nu
contact-urgent-hint = Vi kan inte alltid svara snabbt. Är du i fara just nu? Ring 112.
contact-message-label = Ditt meddelande
contact-reply-language-label = Vilket språk vill du ha svar på?
contact-honeypot-label = Lämna det här fältet tomt
contact-before-send = När du har skickat får du en kod. Du behöver koden för att läsa vårt svar.
contact-submit = Skicka

## Koden

code-heading = Din kod
code-urgent-heading = Du skrev att du är i fara
code-sent = Ditt meddelande är skickat. Med den här koden kan du läsa vårt svar:
code-keep-heading = Så sparar du koden
code-keep-write = Skriv upp den nu, någonstans där bara du kan se den. Koden visas bara den här gången.
code-keep-shared = Spara den inte i en telefon eller dator som någon annan kan titta i.
code-keep-anyone = Den som har koden kan läsa hela samtalet. Visa den inte för någon.
code-keep-lost = Vi vet inte vem du är. Därför kan vi inte ge dig koden igen. Om du tappar bort den kan du skriva till oss på nytt och få en ny kod.
code-return-heading = När ska jag komma tillbaka?
code-return-when = Vi svarar oftast inom några arbetsdagar.
code-return-how = Gå till startsidan och skriv in koden under ”Har du redan en kod?”.
code-check-heading = Kontrollera koden

## Samtalet

thread-heading = Ditt samtal
thread-sent = Ditt meddelande är skickat.
thread-previous-open = Förra gången samtalet öppnades:
thread-previous-open-not-you = Var det inte du? Då kan någon annan känna till din kod. Radera samtalet längre ner och skriv till oss på nytt, så får du en ny kod.
thread-first-open = Det här är första gången samtalet öppnas med din kod.
thread-messages-heading = Meddelanden
thread-empty = Det finns inga meddelanden än.
thread-author-me = Du
thread-author-staff = { $name }, resurscentrumet
thread-author-centre = Resurscentrumet
thread-delivered = Resurscentrumet har tagit emot det
thread-not-delivered = Resurscentrumet har inte tagit emot det än
thread-answer-time = Vi svarar oftast inom några arbetsdagar. Kom tillbaka med din kod för att läsa svaret.
thread-write-heading = Skriv igen
thread-message-label = Ditt nya meddelande
thread-send = Skicka
thread-delete-heading = Radera samtalet
thread-delete-text = Du kan radera samtalet från webbplatsen när du vill. Koden slutar då att fungera.
thread-delete-button = Radera mitt samtal
thread-leave = När du är klar kan du stänga fönstret eller använda knappen ”Lämna sidan snabbt” högst upp.

## Radera

burn-confirm-heading = Radera samtalet?
burn-confirm-everything = Samtalet raderas från den här webbplatsen, både det du har skrivit och våra svar.
burn-confirm-code = Din kod slutar att fungera.
burn-confirm-centre = Vi på resurscentrumet får veta att du har raderat samtalet. Det vi redan har tagit emot kan finnas kvar hos oss, eftersom vi måste följa reglerna för dokumentation.
burn-confirm-undo = Det går inte att ångra.
burn-confirm-button = Ja, radera samtalet
burned-heading = Ditt samtal är raderat
burned-text = Koden fungerar inte längre. Vi på resurscentrumet har fått veta att du har raderat samtalet.
burned-again = Du är alltid välkommen att skriva till oss igen. Då får du en ny kod.

## Felsidor

error-bad-request-heading = Det du skickade gick inte att läsa
error-bad-request-text = Något blev fel när det skickades. Börja om från startsidan.
error-not-found-heading = Sidan finns inte
error-not-found-text = Adressen kan vara felskriven, eller så finns sidan inte längre.
error-method-heading = Sidan kan inte öppnas så här
error-method-text = Den här sidan används bara när ett formulär skickas. Börja om från startsidan.
error-forbidden-heading = Formuläret kunde inte tas emot
error-forbidden-text = För din säkerhet tar vi bara emot formulär som skickas från våra egna sidor. Börja om från startsidan och försök igen.
error-expired-heading = Sidan har slutat gälla
error-expired-text = För din säkerhet slutar sidorna att gälla efter en stund. Börja om från startsidan. Om du läste ditt samtal, skriv in koden igen.
error-too-large-heading = Det du skickade var för långt
error-too-large-text = Gå tillbaka, gör meddelandet kortare och försök igen.
error-rate-limited-heading = För många försök
error-rate-limited-text = Vänta några minuter och försök sedan igen.
error-busy-heading = Sidan hinner inte med just nu
error-busy-text = Försök igen om några minuter.
error-internal-heading = Något gick fel hos oss
error-internal-text = Försök igen om en stund. Om du inte fick se en kod eller beskedet att meddelandet är skickat, så har det inte skickats.
error-code-not-found-heading = Samtalet kunde inte öppnas
error-code-not-found = Vi hittar inget samtal med den koden. Kontrollera att du har skrivit rätt. Ett samtal raderas om det inte har använts på ett tag, eller om den som skrev har raderat det. Du kan alltid skriva till oss på nytt och få en ny kod.


## Forms that keep nothing for whoever comes after: opening forms, the code page, timed-out pages

landing-return-button = Öppna mitt samtal
return-timed-out = Samtalssidan slutar fungera efter { $minutes } minuter, för att skydda dig. Skriv in din kod igen. Det du skrev finns kvar här nedanför och skickas när samtalet öppnas.
return-message-label = Det du skrev (skickas när samtalet öppnas)
contact-code-ahead = När du skickar får du en kod med { $digits } siffror. Ha papper och penna redo.
code-check-how = Skriv in koden från din lapp. Då ser du att du har skrivit av den rätt.
code-check-submit = Kontrollera koden
code-check-differs-at = Det du skrev skiljer sig från koden på plats { $positions }. Siffrorna som skiljer sig är markerade.
code-check-you-wrote = Du skrev:
code-checked-heading = Du har skrivit av koden rätt
code-checked-text = Koden på din lapp stämmer. Förvara den där ingen annan tittar.
code-gone-heading = Koden kan inte visas igen
code-gone-text = För din säkerhet visas koden bara på sidan direkt efter att du har skrivit till oss. Har du skrivit av den kan du använda den. Annars kan du skriva till oss igen och få en ny kod.
code-leave-heading = Innan du lämnar sidan
code-leave-text = Koden visas inte igen. Har du skrivit av den?
code-leave-link = Ja, jag har skrivit av koden – gå till startsidan
thread-session-time = Sidan fungerar i { $minutes } minuter efter att du öppnade den eller skickade något. Sedan skriver du in koden igen – det du har skrivit går inte förlorat.
burn-confirm-no = Nej, behåll samtalet
error-code-form-expired = Sidan var öppen för länge och slutade fungera. För din säkerhet visas koden inte igen. Skriv in den en gång till.
error-code-check-differs = Koden du skrev stämmer inte med din kod. Jämför de markerade siffrorna.

## Förtroende, säkerhet och informationssidorna

draft-note = Den här översättningen är ännu inte granskad av någon som har språket som modersmål, så den kan innehålla fel.
landing-quick-heading = Lämna snabbt, var säker
landing-quick-exit = Den röda knappen ”Lämna sidan snabbt” finns alltid högst upp på skärmen. Den tar dig direkt till en annan webbplats. Stäng fliken efteråt.
landing-quick-safety = Delar du telefon eller dator, eller kontrollerar någon den? Så besöker du oss säkrare
landing-trust-heading = Kan jag lita på er?
landing-trust-organiser = Resurscentrumet drivs av { $organiser }.
landing-trust-confidential = Alla som arbetar här har tystnadsplikt enligt lag. Vi för inte vidare det du berättar om du inte vill det, utom i fallet här nedanför.
landing-trust-under-18 = Om du är under 18 år och vi får veta vem du är och att du far illa, säger lagen att vi måste berätta det för socialtjänsten.
landing-trust-ip = Vi ser aldrig din IP-adress eller var du är. Vi ser bara det du skriver.
landing-trust-reply = Vi läser meddelanden på vardagar och svarar oftast inom { $days } arbetsdagar.
landing-trust-expiry = Om ingen öppnar eller skriver i ett samtal på { $days } dagar raderas det.
landing-other-heading = Andra sätt att nå oss
landing-other-phone = Telefon:
landing-other-sms = Sms:
landing-more-heading = Läs mer
landing-more-info = Hedersrelaterat våld, tvångsäktenskap, dina rättigheter och vad som händer när du skriver till oss
helpline-young = { $name }, för dig som är under 18 år.
helpline-women = { $name }, för kvinnor och deras anhöriga.
helpline-boys-and-men = { $name }, också för pojkar och män.
helpline-lgbtq = { $name }, för hbtqi-personer.
helpline-stop-violence = { $name }, för dig som använder våld och vill sluta.
helpline-professionals = { $name }, för yrkesverksamma.
helpline-everyone = { $name }, för alla.
hours-always = Öppet dygnet runt.
hours-weekdays = Måndag till fredag
hours-every-day = Alla dagar
line-free = Gratis att ringa.
line-off-bill = Syns inte på telefonräkningen.
line-free-off-bill = Gratis, och syns inte på telefonräkningen.
info-fallback-note = Den här sidan finns ännu inte på ditt språk, så den visas på svenska.
info-index-link = Alla informationssidor
thread-new-reply = Du har fått ett nytt svar från resurscentrumet.
