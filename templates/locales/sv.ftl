# Svenska: resurscentrumets huvudspråk. Varje annan språkfil måste ha exakt samma nycklar.
# Inga HTML-taggar här: sidorna sätter rubriker, fetstil och nummer själva.

## Ramen runt varje sida

exit-link = Lämna sidan snabbt
skip-link = Hoppa till innehållet
language-nav = Välj språk
footer-note = Den här webbplatsen använder inga kakor och inga skript, och den sparar inget av det du skriver i din webbläsare.
home-link = Till startsidan

## Nödnummer

emergency-heading = Är du i fara?
emergency-call-112 = Är du eller någon annan i fara just nu? Ring 112.
emergency-short = Är du i fara just nu? Ring 112.
number-112 = Larmnumret vid akut fara: polis, ambulans och räddningstjänst.
number-police = Polisen när det inte är akut, till exempel för att göra en anmälan eller få råd.
number-bris = BRIS, för dig som är under 18 år.
number-kvinnofrid = Kvinnofridslinjen, stödtelefon för kvinnor som utsatts för hot och våld, och för deras anhöriga. Avgiftsfri och öppen dygnet runt.
number-health = Vårdguiden, råd om vård dygnet runt.

## Fel i formulär

error-summary-heading = Något behöver rättas
error-prefix = Fel:
error-field-generic = Kontrollera det här fältet.
error-group-missing = Välj det som stämmer bäst in på dig.
error-message-empty = Skriv ett meddelande.
error-message-too-long = Meddelandet är för långt. Korta det till högst { $max } tecken.
error-language-unknown = Välj vilket språk du vill ha svar på.
error-code-empty = Skriv din kod.
error-code-format = Skriv hela koden, precis som du fick den. Den består bara av siffror.
error-code-typo = Koden har ett skrivfel. Kontrollera siffrorna och försök igen.
error-form-expired = Formuläret hann gå ut innan det skickades, så ditt meddelande är inte skickat ännu. Texten finns kvar nedan. Tryck på Skicka igen.
error-rate-limited = Det har kommit för många försök på kort tid. Vänta några minuter och försök sedan igen.
error-busy = Det är mycket just nu, så ditt meddelande är inte skickat ännu. Texten finns kvar nedan. Vänta en liten stund och tryck på Skicka igen.
error-internal = Något gick fel hos oss, så ditt meddelande är inte skickat. Texten finns kvar nedan. Försök igen om en stund.
message-hint = Högst { $max } tecken.

## Startsidan

landing-heading = Stöd mot hedersrelaterat våld och förtryck
landing-intro = Vi ger råd och stöd till dig som lever med hedersrelaterat våld, hot eller kontroll, till dig som oroar dig för någon annan och till dig som möter frågan i ditt arbete. Vi kan också hjälpa dig vidare till socialtjänsten, polisen och vården.
landing-anonymous = Du kan skriva till oss helt anonymt. Vi frågar inte vem du är.
landing-write = Skriv till oss
landing-return-heading = Har du redan en kod?
return-code-label = Din kod
return-code-hint = Koden du fick när du skrev till oss. Mellanslag spelar ingen roll.
return-submit = Läs samtalet
landing-who-heading = Vem kan skriva till oss?
landing-who-exposed = Du som själv utsätts för våld, hot, kontroll eller tvång, till exempel att inte få välja vem du umgås med, är tillsammans med eller gifter dig med.
landing-who-relative = Du som är anhörig, vän eller partner och oroar dig för någon.
landing-who-used-violence = Du som har utsatt någon för våld eller kontroll och vill sluta.
landing-who-professional = Du som i ditt arbete möter någon som kan vara utsatt och vill ha konsultation.
landing-who-everyone = Det spelar ingen roll hur gammal du är, vilket kön du har eller var du kommer ifrån. Vi har särskilt fokus på unga.
landing-help-heading = Vad kan vi hjälpa till med?
landing-help-talk = Samtal där vi lyssnar, informerar och hjälper dig att se vilka vägar som finns.
landing-help-advice = Råd och stöd utifrån din situation, även om du ännu inte vet vad du vill göra.
landing-help-contact = Hjälp att komma i kontakt med socialtjänsten, polisen, vården eller ideella organisationer.
landing-help-professionals = För dig som är yrkesverksam: konsultation i enskilda ärenden, till exempel om hot- och riskbedömningar och säkerhetsplanering.
landing-help-duty = Om du berättar vem du är och att ett barn far illa kan vi enligt lag vara skyldiga att anmäla det till socialtjänsten.
landing-how-heading = Så fungerar det
landing-how-write = Du skriver ditt meddelande. Du behöver inte berätta vem du är.
landing-how-code = Du får en kod. Spara den där bara du kan se den: den är den enda vägen tillbaka till samtalet.
landing-how-return = Du kommer tillbaka och skriver in koden här för att läsa vårt svar och skriva igen. Vi svarar oftast inom några arbetsdagar. Ett samtal som inte används på ett tag raderas.
landing-safety-heading = Besök oss säkrare
landing-safety-private = Använd ett privat fönster (inkognito). Då glömmer webbläsaren besöket när du stänger fönstret.
landing-safety-shared = Delar du telefon eller dator med någon, eller kan någon kontrollera den? Rensa historiken efteråt, eller använd en enhet som den personen inte kommer åt, till exempel på skolan eller biblioteket.
landing-safety-tor = Tor Browser döljer för den som övervakar nätet vilka webbplatser du besöker, och döljer för oss var du befinner dig. Tänk på att en installerad Tor Browser kan synas på enheten.
landing-safety-exit = Knappen ”Lämna sidan snabbt” högst upp tar dig direkt till en annan webbplats och ber webbläsaren glömma det den har sparat från oss. Den kan inte radera historiken.
landing-safety-site = Den här webbplatsen sätter inga kakor, kör inga skript och sparar inget i din webbläsare. Det du skriver skickas krypterat och kan bara läsas av oss på resurscentrumet.
landing-safety-onion = I Tor Browser kan du också nå oss på vår onion-adress:

## Kontaktformuläret

contact-heading = Skriv till oss
contact-intro = Du behöver inte skriva ditt namn eller något annat som visar vem du är. Skriv det du vill berätta.
contact-group-legend = Vad stämmer bäst in på dig?
group-exposed = Jag utsätts själv för våld, hot eller kontroll
group-relative = Jag oroar mig för någon annan: en anhörig, vän eller partner
group-used-violence = Jag har utsatt någon och vill sluta
group-professional = Jag möter frågan i mitt arbete och vill ha konsultation
group-other = Något annat
contact-urgent-label = Jag är i fara nu
contact-urgent-hint = Vi kan inte alltid svara snabbt. Är du i fara just nu, ring 112.
contact-message-label = Ditt meddelande
contact-reply-language-label = På vilket språk vill du ha svar?
contact-honeypot-label = Lämna det här fältet tomt
contact-before-send = När du har skickat får du en kod. Du behöver koden för att läsa vårt svar.
contact-submit = Skicka

## Koden

code-heading = Din kod
code-urgent-heading = Du skrev att du är i fara
code-sent = Ditt meddelande är skickat. Med den här koden kan du läsa vårt svar:
code-keep-heading = Så sparar du koden
code-keep-write = Skriv upp den någonstans där bara du kan se den.
code-keep-shared = Spara den inte i en telefon eller dator som någon annan kan titta i.
code-keep-anyone = Den som har koden kan läsa hela samtalet. Visa den inte för någon.
code-keep-lost = Vi vet inte vem du är och kan därför inte ge dig koden igen. Tappar du bort den kan du skriva till oss på nytt och få en ny kod.
code-return-heading = När ska jag komma tillbaka?
code-return-when = Vi svarar oftast inom några arbetsdagar.
code-return-how = Gå till startsidan och skriv in koden under ”Har du redan en kod?”.
code-check-heading = Kontrollera koden
code-check-text = Skriv in koden från din lapp, så ser du att du har skrivit av den rätt. Då öppnas samtalet.

## Samtalet

thread-heading = Ditt samtal
thread-sent = Ditt meddelande är skickat.
thread-previous-open = Samtalet öppnades senast före det här besöket:
thread-previous-open-not-you = Var det inte du? Då kan någon annan känna till din kod. Radera samtalet längre ner och skriv till oss på nytt, så får du en ny kod.
thread-first-open = Det här är första gången samtalet öppnas med din kod.
thread-messages-heading = Meddelanden
thread-empty = Det finns inga meddelanden ännu.
thread-author-me = Du
thread-author-staff = { $name }, resurscentrumet
thread-author-centre = Resurscentrumet
thread-delivered = Mottaget av resurscentrumet
thread-not-delivered = Inte mottaget av resurscentrumet ännu
thread-answer-time = Vi svarar oftast inom några arbetsdagar. Kom tillbaka med din kod för att läsa svaret.
thread-write-heading = Skriv igen
thread-message-label = Ditt nya meddelande
thread-send = Skicka
thread-delete-heading = Radera samtalet
thread-delete-text = Du kan när som helst radera samtalet från webbplatsen. Koden slutar då att fungera.
thread-delete-button = Radera mitt samtal
thread-leave = När du är klar kan du stänga fönstret eller använda knappen ”Lämna sidan snabbt” högst upp.

## Radera

burn-confirm-heading = Radera samtalet?
burn-confirm-everything = Samtalet raderas från den här webbplatsen, både det du har skrivit och våra svar.
burn-confirm-code = Din kod slutar att fungera.
burn-confirm-centre = Vi på resurscentrumet får veta att du har raderat samtalet. Det vi redan har tagit emot kan finnas kvar hos oss, eftersom vi måste följa reglerna för dokumentation.
burn-confirm-undo = Det går inte att ångra.
burn-confirm-button = Ja, radera samtalet
burn-confirm-keep = Vill du behålla samtalet? Lämna bara den här sidan, så finns samtalet kvar.
burned-heading = Ditt samtal är raderat
burned-text = Koden fungerar inte längre, och vi på resurscentrumet har fått veta att du har raderat samtalet.
burned-again = Du är alltid välkommen att skriva till oss igen. Då får du en ny kod.

## Felsidor

error-bad-request-heading = Det du skickade gick inte att läsa
error-bad-request-text = Något i det som skickades var fel. Börja om från startsidan.
error-not-found-heading = Sidan finns inte
error-not-found-text = Adressen kan vara felskriven, eller så finns sidan inte längre.
error-method-heading = Sidan kan inte öppnas så här
error-method-text = Den här sidan används bara när ett formulär skickas. Börja om från startsidan.
error-forbidden-heading = Formuläret kunde inte tas emot
error-forbidden-text = För din säkerhet tar vi bara emot formulär som skickas från våra egna sidor. Börja om från startsidan och försök igen.
error-expired-heading = Sidan har gått ut
error-expired-text = För din säkerhet slutar sidorna att gälla efter en stund. Börja om från startsidan. Läste du ditt samtal, skriv in koden igen.
error-too-large-heading = Det du skickade var för långt
error-too-large-text = Gå tillbaka, gör meddelandet kortare och försök igen.
error-rate-limited-heading = För många försök
error-rate-limited-text = Vänta några minuter och försök sedan igen.
error-busy-heading = Det är mycket just nu
error-busy-text = Försök igen om några minuter.
error-internal-heading = Något gick fel hos oss
error-internal-text = Försök igen om en stund. Om du inte fick se en kod eller beskedet att meddelandet är skickat, så har det inte skickats.
error-code-not-found-heading = Samtalet kunde inte öppnas
error-code-not-found = Vi hittar inget samtal med den koden. Kontrollera att du har skrivit rätt. Ett samtal raderas när det inte har använts på ett tag, eller när den som skrev har raderat det. Du kan alltid skriva till oss på nytt och få en ny kod.
