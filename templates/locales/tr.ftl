# STATUS: draft — awaits review by a native speaker before production use
# Türkçe (tr), soldan sağa. sv.ftl ile tam olarak aynı anahtarlar, ne fazla ne eksik.
# Kısa ve sade cümleler, "sen" diye hitap ederek: okuyan kişi korkmuş ve genç olabilir. HTML etiketi yok.

## Her sayfanın çerçevesi

exit-link = Bu sayfadan hemen çık
skip-link = İçeriğe geç
language-nav = Dil seç
footer-note = Bu web sitesi çerez (cookie) ve betik kullanmaz. Yazdığın hiçbir şey tarayıcında saklanmaz.
home-link = Ana sayfaya dön

## Acil numaralar

emergency-heading = Tehlikede misin?
emergency-call-112 = Sen ya da başka biri şu anda tehlikede mi? 112'yi ara.
emergency-short = Şu anda tehlikede misin? 112'yi ara.
number-112 = Polis, ambulans ve itfaiye için acil numara. Ücretsiz.
number-police = Acil olmayan durumlarda polis, örneğin suç bildirmek ya da danışmak için.
number-bris = BRIS, 18 yaşından küçük herkes için.
number-kvinnofrid = Kvinnofridslinjen, tehdit ve şiddete maruz kalan kadınlar ve yakınları için destek hattı. Ücretsiz, gece gündüz açık.
number-health = Vårdguiden, gece gündüz sağlık danışmanlığı.

## Formlardaki hatalar

error-summary-heading = Düzeltilmesi gereken bir şey var
error-prefix = Hata:
error-field-generic = Bu alanı kontrol et.
error-group-missing = Sana en uygun seçeneği seç.
error-message-empty = Bir mesaj yaz.
error-message-too-long = Mesajın çok uzun. En fazla { $max } karakter olacak şekilde kısalt.
error-language-unknown = Cevabımızı hangi dilde istediğini seç.
error-code-empty = Kodunu gir.
error-code-format = Kodun tamamını sana verildiği gibi gir. Kod sadece rakamlardan oluşur.
error-code-typo = Rakamlardan biri yanlış. Kodu kontrol et ve tekrar dene.
error-form-expired = Formun süresi doldu, bu yüzden mesajın henüz gönderilmedi. Yazdığın metin aşağıda duruyor. Tekrar Gönder'e bas.
error-form-already-sent = Bu form zaten gönderildi. Kod almadıysan mesajını yeniden yaz ve gönder.
error-form-invalid = Form kullanılamadı, belki çok uzun süre açık kaldığı için. Güvenliğin için yazdıkların tekrar gösterilmiyor. Lütfen formu yeniden doldur.
error-rate-limited = Kısa sürede çok fazla deneme yapıldı. Birkaç dakika bekle, sonra tekrar dene.
error-busy = Site şu anda çok yoğun, bu yüzden mesajın henüz gönderilmedi. Yazdığın metin aşağıda duruyor. Biraz bekle, sonra tekrar Gönder'e bas.
error-internal = Bizim tarafımızda bir sorun oldu, bu yüzden mesajın gönderilmedi. Yazdığın metin aşağıda duruyor. Biraz sonra tekrar dene.
message-hint = En fazla { $max } karakter.

## Ana sayfa

landing-heading = Namus adına şiddet ve baskıya karşı destek
landing-intro = Namus adına şiddet, tehdit ya da kontrol altında yaşıyorsan sana danışmanlık ve destek veriyoruz. Başka biri için endişeleniyorsan ya da işinde bu konuyla karşılaşıyorsan da yardım ediyoruz. Sosyal hizmetler, polis ve sağlık hizmetleriyle bağlantı kurmana yardımcı olabiliriz.
landing-anonymous = Bize adını vermeden yazabilirsin. Kim olduğunu sormayız.
landing-write = Bize yaz
landing-return-heading = Zaten bir kodun var mı?
return-code-label = Kodun
return-code-hint = Bize yazdığında aldığın kod. Boşlukların önemi yok.
return-submit = Konuşmanı oku
landing-safety-onion = Tor Browser ile bize onion adresimizden de ulaşabilirsin:

## İletişim formu

contact-heading = Bize yaz
contact-intro = Adını ya da kim olduğunu gösteren başka bir şeyi yazman gerekmiyor. Bilmemizi istediğin şeyi anlat.
contact-group-legend = Sana en uygun olan hangisi?
group-exposed = Biri bana karşı şiddet, tehdit ya da kontrol uyguluyor
group-relative = Biri için endişeleniyorum: bir akraba, arkadaş ya da partner
group-used-violence = Birine şiddet ya da kontrol uyguladım ve bırakmak istiyorum
group-professional = İşimde bu konuyla karşılaşıyorum ve bir vaka hakkında danışmak istiyorum
group-other = Başka bir şey
contact-urgent-label = Şu anda tehlikedeyim
contact-urgent-hint = Her zaman hızlı cevap veremeyebiliriz. Şu anda tehlikedeysen 112'yi ara.
contact-message-label = Mesajın
contact-reply-language-label = Cevabımızı hangi dilde istersin?
contact-honeypot-label = Bu alanı boş bırak
contact-before-send = Mesajını gönderince bir kod alacaksın. Cevabımızı okumak için bu koda ihtiyacın var.
contact-submit = Gönder

## Kod

code-heading = Kodun
code-urgent-heading = Tehlikede olduğunu yazdın
code-sent = Mesajın gönderildi. Cevabımızı okumak için bu kodu kullan:
code-keep-heading = Kodunu nasıl güvende tutarsın
code-keep-write = Şimdi, sadece senin görebileceğin bir yere yaz. Kodu sadece bu sefer görebilirsin.
code-keep-shared = Başkasının bakabileceği bir telefona ya da bilgisayara kaydetme.
code-keep-anyone = Kodu bilen herkes konuşmanın tamamını okuyabilir. Kimseye gösterme.
code-keep-lost = Kim olduğunu bilmiyoruz, bu yüzden kodu sana tekrar veremeyiz. Kaybedersen bize yeniden yazıp yeni bir kod alabilirsin.
code-return-heading = Ne zaman geri gelmeliyim?
code-return-when = Genellikle birkaç iş günü içinde cevap veririz.
code-return-how = Ana sayfaya git ve kodu "Zaten bir kodun var mı?" başlığının altına gir.
code-check-heading = Kodunu kontrol et

## Konuşma

thread-heading = Konuşman
thread-sent = Mesajın gönderildi.
thread-previous-open = Bu ziyaretten önce konuşma en son şu zaman açıldı:
thread-previous-open-not-you = Sen değil miydin? O zaman başka biri kodunu biliyor olabilir. Sayfanın aşağısından konuşmayı sil ve yeni bir kod almak için bize yeniden yaz.
thread-first-open = Konuşma kodunla ilk kez açılıyor.
thread-messages-heading = Mesajlar
thread-empty = Henüz mesaj yok.
thread-author-me = Sen
thread-author-staff = { $name }, merkezden
thread-author-centre = Merkez
thread-delivered = Merkez bunu aldı
thread-not-delivered = Merkez bunu henüz almadı
thread-answer-time = Genellikle birkaç iş günü içinde cevap veririz. Cevabımızı okumak için kodunla geri gel.
thread-write-heading = Yeniden yaz
thread-message-label = Yeni mesajın
thread-send = Gönder
thread-delete-heading = Konuşmayı sil
thread-delete-text = Konuşmayı bu siteden istediğin zaman silebilirsin. Kodun o zaman çalışmaz.
thread-delete-button = Konuşmamı sil
thread-leave = İşin bitince pencereyi kapat ya da en üstteki "Bu sayfadan hemen çık" düğmesini kullan.

## Silme

burn-confirm-heading = Konuşma silinsin mi?
burn-confirm-everything = Konuşma bu siteden silinir: hem senin yazdıkların hem bizim cevaplarımız.
burn-confirm-code = Kodun artık çalışmaz.
burn-confirm-centre = Konuşmayı sildiğin bize bildirilir. Bize zaten ulaşmış olanı saklamamız gerekebilir, çünkü kayıt tutma kurallarına uymak zorundayız.
burn-confirm-undo = Bu geri alınamaz.
burn-confirm-button = Evet, konuşmayı sil
burned-heading = Konuşman silindi
burned-text = Kod artık çalışmıyor. Konuşmayı sildiğin bize bildirildi.
burned-again = Bize her zaman yeniden yazabilirsin. Yeni bir kod alırsın.

## Hata sayfaları

error-bad-request-heading = Gönderdiğin okunamadı
error-bad-request-text = Gönderilirken bir sorun oldu. Lütfen ana sayfadan yeniden başla.
error-not-found-heading = Sayfa bulunamadı
error-not-found-text = Adres yanlış yazılmış olabilir ya da sayfa artık yok.
error-method-heading = Bu sayfa bu şekilde açılamaz
error-method-text = Bu sayfa sadece bir form gönderildiğinde kullanılır. Lütfen ana sayfadan yeniden başla.
error-forbidden-heading = Form kabul edilemedi
error-forbidden-text = Güvenliğin için sadece kendi sayfalarımızdan gönderilen formları kabul ediyoruz. Ana sayfaya dön ve tekrar dene.
error-expired-heading = Bu sayfanın süresi doldu
error-expired-text = Güvenliğin için sayfalar bir süre sonra çalışmaz. Lütfen ana sayfadan yeniden başla. Konuşmanı okuyorduysan kodunu tekrar gir.
error-too-large-heading = Gönderdiğin çok uzundu
error-too-large-text = Geri dön, mesajını kısalt ve tekrar dene.
error-rate-limited-heading = Çok fazla deneme
error-rate-limited-text = Birkaç dakika bekle, sonra tekrar dene.
error-busy-heading = Site şu anda çok yoğun
error-busy-text = Lütfen birkaç dakika sonra tekrar dene.
error-internal-heading = Bizim tarafımızda bir sorun oldu
error-internal-text = Lütfen biraz sonra tekrar dene. Bir kod ya da mesajının gönderildiğini söyleyen bir yazı görmediysen, mesajın gönderilmedi.
error-code-not-found-heading = Konuşma açılamadı
error-code-not-found = Bu kodla bir konuşma bulamıyoruz. Doğru yazdığını kontrol et. Bir konuşma bir süre kullanılmazsa ya da yazan kişi silerse silinir. Bize her zaman yeniden yazıp yeni bir kod alabilirsin.

## Güven, güvenlik ve bilgi sayfaları

draft-note = Bu çeviri henüz anadili Türkçe olan biri tarafından kontrol edilmedi, bu yüzden hatalar içerebilir.
landing-quick-heading = Hemen çık, güvende kal
landing-quick-exit = Kırmızı "Bu sayfadan hemen çık" düğmesi her zaman ekranın en üstündedir. Seni doğrudan başka bir siteye götürür. Ardından sekmeyi kapat.
landing-quick-safety = Telefonunu ya da bilgisayarını başkasıyla mı paylaşıyorsun, ya da biri onu kontrol mü ediyor? Bizi nasıl daha güvenli ziyaret edersin
landing-trust-heading = Size güvenebilir miyim?
landing-trust-organiser = Merkezi { $organiser } yürütüyor.
landing-trust-confidential = Burada çalışan herkesin yasal sır saklama yükümlülüğü (tystnadsplikt) vardır. Bize anlattıklarını, aşağıdaki durum dışında, sen kabul etmedikçe kimseye aktarmayız.
landing-trust-under-18 = 18 yaşından küçüksen ve kim olduğunu ve zarar gördüğünü öğrenirsek, yasa sosyal hizmetlere bildirmemizi zorunlu kılar.
landing-trust-ip = IP adresini ya da nerede olduğunu asla görmeyiz. Sadece yazdığını görürüz.
landing-trust-reply = Mesajları iş günlerinde okuruz ve genellikle { $days } iş günü içinde cevap veririz.
landing-trust-expiry = Bir konuşma { $days } gün boyunca açılmaz ya da içine yazılmazsa silinir.
landing-other-heading = Bize ulaşmanın başka yolları
landing-other-phone = Telefon:
landing-other-sms = Kısa mesaj (SMS):
landing-more-heading = Daha fazlasını oku
landing-more-info = Namus adına şiddet, zorla evlendirme, hakların ve bize yazınca ne olduğu
helpline-young = { $name }, 18 yaşından küçük herkes için.
helpline-women = { $name }, kadınlar ve yakınları için.
helpline-boys-and-men = { $name }, erkek çocuklar ve erkekler için de.
helpline-lgbtq = { $name }, LGBTİ+ bireyler için.
helpline-stop-violence = { $name }, şiddet uygulayan ve bırakmak isteyenler için.
helpline-professionals = { $name }, meslek sahipleri için.
helpline-everyone = { $name }, herkes için.
hours-always = Gece gündüz açık.
hours-weekdays = Pazartesi–Cuma
hours-every-day = Her gün
line-free = Arama ücretsiz.
line-off-bill = Telefon faturasında görünmez.
line-free-off-bill = Ücretsiz ve telefon faturasında görünmez.
info-fallback-note = Bu sayfa henüz Türkçe değil, bu yüzden İsveççe gösteriliyor.
info-index-link = Tüm bilgi sayfaları
thread-new-reply = Merkezden yeni bir cevabın var.

## Forms that keep nothing for whoever comes after: opening forms, the code page, timed-out pages

landing-return-button = Konuşmamı aç
return-timed-out = Seni korumak için konuşma sayfası { $minutes } dakika sonra çalışmayı bırakır. Kodunu tekrar gir. Yazdıkların hâlâ aşağıda ve konuşma açılınca gönderilecek.
return-message-label = Yazdıkların (konuşma açılınca gönderilir)
contact-code-ahead = Gönderdiğinde { $digits } haneli bir kod alacaksın. Kâğıt ve kalemi hazır tut.
code-check-how = Doğru yazdığından emin olmak için kodu notundan yaz.
code-check-submit = Kodu kontrol et
code-check-differs-at = Yazdığın kod { $positions }. hanede koddan farklı. Farklı rakamlar işaretlendi.
code-check-you-wrote = Yazdığın:
code-checked-heading = Kodu doğru yazmışsın
code-checked-text = Notundaki kod doğru. Onu başka kimsenin bakmayacağı bir yerde sakla.
code-gone-heading = Kod tekrar gösterilemez
code-gone-text = Güvenliğin için kod yalnızca bize yazdıktan hemen sonra gelen sayfada gösterilir. Yazdıysan kullanabilirsin. Yazmadıysan bize tekrar yazıp yeni bir kod alabilirsin.
code-leave-heading = Bu sayfadan çıkmadan önce
code-leave-text = Kod tekrar gösterilmeyecek. Onu yazdın mı?
code-leave-link = Evet, kodu yazdım – ana sayfaya git
thread-session-time = Bu sayfa, açtıktan ya da bir şey gönderdikten sonra { $minutes } dakika çalışır. Sonra kodunu tekrar gir – yazdıkların kaybolmaz.
burn-confirm-no = Hayır, konuşma kalsın
error-code-form-expired = Sayfa çok uzun süre açık kaldı ve çalışmayı bıraktı. Güvenliğin için kod tekrar gösterilmez. Lütfen bir kez daha gir.
error-code-check-differs = Yazdığın kod senin kodunla uyuşmuyor. İşaretli rakamları karşılaştır.
