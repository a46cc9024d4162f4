# STATUS: reviewed
# English: also the fallback for any message another language lacks. Same keys as sv.ftl, no more, no fewer.
# Write short and plain: the reader may be frightened, young, and may have had little schooling.
# No HTML tags here: the pages add headings, bold text and phone numbers themselves.

## The frame around every page

exit-link = Leave this page quickly
skip-link = Skip to the content
language-nav = Choose language
footer-note = This website uses no cookies and no scripts. Nothing you write is saved in your browser.
home-link = Back to the start page

## Emergency numbers

emergency-heading = Are you in danger?
emergency-call-112 = Are you or someone else in danger right now? Call 112.
emergency-short = Are you in danger right now? Call 112.
number-112 = Emergency number for police, ambulance and fire service. Free.
number-police = The police when it is not an emergency, for example to report a crime or ask for advice.
number-bris = BRIS, for anyone under 18.
number-kvinnofrid = Kvinnofridslinjen, a helpline for women who are threatened or abused, and for the people close to them. Free, open day and night.
number-health = Vårdguiden, health advice day and night.

## Errors in forms

error-summary-heading = There is a problem
error-prefix = Error:
error-field-generic = Check this field.
error-group-missing = Choose the answer that fits you best.
error-message-empty = Write a message.
error-message-too-long = Your message is too long. Make it { $max } characters or fewer.
error-language-unknown = Choose the language you would like our reply in.
error-code-empty = Enter your code.
error-code-format = Enter the whole code exactly as you were given it. It is made of digits only.
error-code-typo = One of the digits is wrong. Check the code and try again.
error-form-expired = The form timed out, so your message has not been sent yet. Your text is still below. Press Send again.
error-form-already-sent = This form has already been sent. If you did not get a code, write your message again and send it.
error-form-invalid = The form could not be used, perhaps because it was open for too long. To keep you safe, what you typed is not shown again. Please fill in the form again.
error-rate-limited = There have been too many attempts in a short time. Wait a few minutes, then try again.
error-busy = The website is very busy, so your message has not been sent yet. Your text is still below. Wait a moment, then press Send again.
error-internal = Something went wrong on our side, so your message has not been sent. Your text is still below. Please try again later.
message-hint = Up to { $max } characters.

## The start page

landing-heading = Support with honour-related violence and oppression
landing-intro = We give advice and support if you live with honour-related violence, threats or control. We also help if you are worried about someone, or if you come across this in your job. We can put you in touch with social services, the police and health care.
landing-anonymous = You can write to us without giving your name. We will not ask who you are.
landing-write = Write to us
landing-return-heading = Do you already have a code?
return-code-label = Your code
return-code-hint = The code you were given when you wrote to us. Spaces do not matter.
return-submit = Read your conversation
landing-safety-onion = In Tor Browser you can also reach us at our onion address:

## The contact form

contact-heading = Write to us
contact-intro = You do not need to give your name or anything else that shows who you are. Tell us what you want us to know.
contact-group-legend = Which fits you best?
group-exposed = Someone is using violence, threats or control against me
group-relative = I am worried about someone: a relative, friend or partner
group-used-violence = I have used violence or control against someone and want to stop
group-professional = I come across this in my job and would like advice on a case
group-other = Something else
contact-urgent-label = I am in danger now
contact-urgent-hint = We cannot always reply quickly. If you are in danger right now, call 112.
contact-message-label = Your message
contact-reply-language-label = Which language would you like our reply in?
contact-honeypot-label = Leave this field empty
contact-before-send = When you send your message, you will get a code. You need the code to read our reply.
contact-submit = Send

## The code

code-heading = Your code
code-urgent-heading = You wrote that you are in danger
code-sent = Your message has been sent. Use this code to read our reply:
code-keep-heading = How to keep your code safe
code-keep-write = Write it down now, somewhere only you can see it. You will only see the code this once.
code-keep-shared = Do not save it on a phone or computer that someone else can look at.
code-keep-anyone = Anyone with the code can read the whole conversation. Do not show it to anyone.
code-keep-lost = We do not know who you are, so we cannot give you the code again. If you lose it, you can write to us again and get a new code.
code-return-heading = When should I come back?
code-return-when = We usually reply within a few working days.
code-return-how = Go to the start page and enter the code under “Do you already have a code?”.
code-check-heading = Check your code

## The conversation

thread-heading = Your conversation
thread-sent = Your message has been sent.
thread-previous-open = Before this visit, the conversation was last opened:
thread-previous-open-not-you = Was that not you? Then someone else may know your code. Delete the conversation further down this page and write to us again to get a new code.
thread-first-open = This is the first time your code has been used to open the conversation.
thread-messages-heading = Messages
thread-empty = There are no messages yet.
thread-author-me = You
thread-author-staff = { $name }, at the centre
thread-author-centre = The centre
thread-delivered = The centre has received this
thread-not-delivered = The centre has not received this yet
thread-answer-time = We usually reply within a few working days. Come back with your code to read our reply.
thread-write-heading = Write again
thread-message-label = Your new message
thread-send = Send
thread-delete-heading = Delete the conversation
thread-delete-text = You can delete the conversation from this website at any time. Your code will then stop working.
thread-delete-button = Delete my conversation
thread-leave = When you have finished, close the window or use the “Leave this page quickly” button at the top.

## Deleting

burn-confirm-heading = Delete the conversation?
burn-confirm-everything = The conversation will be deleted from this website: both what you wrote and our replies.
burn-confirm-code = Your code will stop working.
burn-confirm-centre = We will be told that you deleted the conversation. We may have to keep what we have already received, because we must follow the rules on keeping records.
burn-confirm-undo = You cannot undo this.
burn-confirm-button = Yes, delete the conversation
burned-heading = Your conversation has been deleted
burned-text = The code no longer works. We have been told that you deleted the conversation.
burned-again = You are always welcome to write to us again. You will get a new code.

## Error pages

error-bad-request-heading = We could not read what you sent
error-bad-request-text = Something went wrong while it was being sent. Please start again from the start page.
error-not-found-heading = Page not found
error-not-found-text = The address may be mistyped, or the page may no longer exist.
error-method-heading = This page cannot be opened like this
error-method-text = This page is only used when a form is sent. Please start again from the start page.
error-forbidden-heading = The form could not be accepted
error-forbidden-text = To keep you safe, we only accept forms sent from our own pages. Go back to the start page and try again.
error-expired-heading = This page has timed out
error-expired-text = To keep you safe, pages stop working after a while. Please start again from the start page. If you were reading your conversation, enter your code again.
error-too-large-heading = What you sent was too long
error-too-large-text = Go back, shorten your message and try again.
error-rate-limited-heading = Too many attempts
error-rate-limited-text = Wait a few minutes, then try again.
error-busy-heading = The website is very busy
error-busy-text = Please try again in a few minutes.
error-internal-heading = Something went wrong on our side
error-internal-text = Please try again later. If you did not see a code or a message saying yours was sent, it has not been sent.
error-code-not-found-heading = We could not open the conversation
error-code-not-found = We cannot find a conversation with that code. Check that you typed it correctly. A conversation is deleted if it is not used for a while, or if the person who wrote it deletes it. You can always write to us again and get a new code.

## Forms that keep nothing for whoever comes after: opening forms, the code page, timed-out pages

landing-return-button = Open my conversation
return-timed-out = To protect you, the conversation page stops working after { $minutes } minutes. Enter your code again. What you wrote is still below and will be sent when the conversation opens.
return-message-label = What you wrote (sent when the conversation opens)
contact-code-ahead = When you send, you will get a code of { $digits } digits. Have paper and pen ready.
code-check-how = Type the code from your note to make sure you copied it correctly.
code-check-submit = Check the code
code-check-differs-at = What you typed differs from the code at position { $positions }. The digits that differ are marked.
code-check-you-wrote = You typed:
code-checked-heading = You copied the code correctly
code-checked-text = The code on your note is right. Keep it where no one else will look.
code-gone-heading = The code cannot be shown again
code-gone-text = For your safety, the code is shown only on the page right after you write to us. If you wrote it down, you can use it. If not, you can write to us again and get a new code.
code-leave-heading = Before you leave this page
code-leave-text = The code will not be shown again. Have you written it down?
code-leave-link = Yes, I have written the code down – go to the start page
thread-session-time = This page works for { $minutes } minutes after you open it or send something. After that, enter your code again – nothing you have written is lost.
burn-confirm-no = No, keep it
error-code-form-expired = The page was open too long and stopped working. For your safety, the code is not shown again. Please enter it once more.
error-code-check-differs = The code you typed does not match your code. Compare the marked digits.

## Trust, safety and the information pages

draft-note = This translation has not yet been checked by a native speaker, so it may contain mistakes.
landing-quick-heading = Leave quickly, stay safe
landing-quick-exit = The red “Leave this page quickly” button is always at the top of the screen. It takes you straight to another website. Close the tab afterwards.
landing-quick-safety = Is your phone or computer shared, or checked by someone? How to visit us safely
landing-trust-heading = Can I trust you?
landing-trust-organiser = The centre is run by { $organiser }.
landing-trust-confidential = Everyone who works here has a legal duty of confidentiality (tystnadsplikt). We do not pass on what you tell us unless you agree, except in the case below.
landing-trust-under-18 = If you are under 18 and we find out who you are and that you are being harmed, the law says we must tell social services.
landing-trust-ip = We never see your IP address or where you are. We only see what you write.
landing-trust-reply = We read messages on working days and usually reply within { $days } working days.
landing-trust-expiry = If nobody opens or writes in a conversation for { $days } days, it is deleted.
landing-other-heading = Other ways to reach us
landing-other-phone = Phone:
landing-other-sms = Text message (SMS):
landing-more-heading = Read more
landing-more-info = Honour-related violence, forced marriage, your rights and what happens when you write to us
helpline-young = { $name }, for anyone under 18.
helpline-women = { $name }, for women, and for the people close to them.
helpline-boys-and-men = { $name }, also for boys and men.
helpline-lgbtq = { $name }, for LGBTQ+ people.
helpline-stop-violence = { $name }, for people who use violence and want to stop.
helpline-professionals = { $name }, for professionals.
helpline-everyone = { $name }, for everyone.
hours-always = Open day and night.
hours-weekdays = Monday to Friday
hours-every-day = Every day
line-free = Free to call.
line-off-bill = Does not show on the phone bill.
line-free-off-bill = Free, and does not show on the phone bill.
info-fallback-note = This page is not available in English yet, so it is shown in Swedish.
info-index-link = All information pages
thread-new-reply = You have a new reply from the centre.
