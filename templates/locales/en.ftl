# STATUS: reviewed
# English: also the fallback for any message another language lacks. Same keys as sv.ftl, no more, no fewer.
# Write short and plain: the reader may be frightened, young, and may have had little schooling.
# No HTML tags here: the pages add headings, bold text and phone numbers themselves.

## The frame around every page

exit-link = Leave this page quickly
skip-link = Skip to the content
language-nav = Choose language
footer-note = This website uses no cookies and no scripts. It saves nothing you write in your browser.
home-link = Go to the start page

## Emergency numbers

emergency-heading = Are you in danger?
emergency-call-112 = Are you or someone else in danger right now? Call 112.
emergency-short = Are you in danger right now? Call 112.
number-112 = The emergency number when there is danger now: police, ambulance and fire service.
number-police = The police when it is not urgent, for example to report a crime or get advice.
number-bris = BRIS, for you if you are under 18.
number-kvinnofrid = Kvinnofridslinjen, the support line for women exposed to threats and violence, and for their relatives. Free and open day and night.
number-health = Vårdguiden, health care advice day and night.

## Errors in forms

error-summary-heading = Something needs correcting
error-prefix = Error:
error-field-generic = Check this field.
error-group-missing = Choose what fits you best.
error-message-empty = Write a message.
error-message-too-long = Your message is too long. Shorten it to at most { $max } characters.
error-language-unknown = Choose the language you want our answer in.
error-code-empty = Enter your code.
error-code-format = Enter the whole code, exactly as you got it. It has only digits.
error-code-typo = The code has a typo. Check the digits and try again.
error-form-expired = It took too long, so the form stopped working. Your message has not been sent yet. Your text is still here below. Press Send again.
error-form-already-sent = This form has already been sent. If you did not get a code, write your message again and send it.
error-form-invalid = The form could not be used, perhaps because it was open too long. For your safety, what you typed is not shown again. Please fill in the form once more.
error-rate-limited = There have been too many attempts in a short time. Wait a few minutes and then try again.
error-busy = The website is busy right now, so your message has not been sent yet. Your text is still here below. Wait a little and press Send again.
error-internal = Something went wrong on our side, so your message has not been sent. Your text is still here below. Try again in a while.
message-hint = At most { $max } characters.

## The start page

landing-heading = Support against honour-related violence and oppression
landing-intro = We give advice and support to you if you live with honour-related violence, threats or control. We are also here for you if you are worried about someone else, or if you meet these questions in your work. We can help you get in touch with social services, the police and health care.
landing-anonymous = You can write to us completely anonymously. We do not ask who you are.
landing-write = Write to us
landing-return-heading = Do you already have a code?
return-code-label = Your code
return-code-hint = The code you got when you wrote to us. Spaces do not matter.
return-submit = Read the conversation
landing-who-heading = Who can write to us?
landing-who-exposed = You, if you are exposed to violence, threats, control or coercion yourself. For example, if you are not allowed to choose who you meet, who you are with or who you marry.
landing-who-relative = You, if you are a relative, friend or partner and worried about someone.
landing-who-used-violence = You, if you have used violence or control against someone and want to stop.
landing-who-professional = You, if you meet someone in your work who may be exposed and you want a consultation.
landing-who-everyone = It does not matter how old you are, what your gender is or where you come from. We pay special attention to young people.
landing-help-heading = What can we help with?
landing-help-talk = Conversations where we listen, tell you what applies and help you see which ways forward there are.
landing-help-advice = Advice and support based on your situation, even if you do not know yet what you want to do.
landing-help-contact = Help getting in touch with social services, the police, health care or voluntary organisations.
landing-help-professionals = For professionals: consultation in individual cases, for example on threat and risk assessments and safety planning.
landing-help-duty = If you tell us who you are, and that a child is being harmed, the law may require us to report it to social services.
landing-how-heading = How it works
landing-how-write = You write your message. You do not need to say who you are.
landing-how-code = You get a code. Keep it where only you can see it. Without the code you cannot get back to the conversation.
landing-how-return = You come back here and enter the code. Then you can read our answer and write again. We usually answer within a few working days. A conversation that is not used for a while is deleted.
landing-safety-heading = Visit us more safely
landing-safety-private = Use a private (incognito) window. The browser then forgets the visit when you close the window.
landing-safety-shared = Do you share your phone or computer, or can someone check it? Clear the history afterwards. Or use a phone or computer that person cannot reach, for example at school or at a library.
landing-safety-tor = With Tor Browser, anyone watching the network cannot see which websites you visit, and we cannot see where you are. But keep in mind that others can see that Tor Browser is on the phone or computer.
landing-safety-exit = The “Leave this page quickly” button at the top takes you straight to another website. It also asks the browser to forget what it stored from us. But it cannot delete the history. When you are done, also close the tab: some browsers can show the last page again for a few minutes with the Back button.
landing-safety-site = This website uses no cookies and no scripts, and stores nothing in your browser. What you write is sent encrypted and can only be read by us at the centre.
landing-safety-onion = In Tor Browser you can also reach us at our onion address:

## The contact form

contact-heading = Write to us
contact-intro = You do not need to write your name or anything else that shows who you are. Write what you want to tell us.
contact-group-legend = What fits you best?
group-exposed = I am exposed to violence, threats or control myself
group-relative = I am worried about someone else: a relative, friend or partner
group-used-violence = I have used violence or control against someone and want to stop
group-professional = I meet these questions in my work and want a consultation
group-other = Something else
contact-urgent-label = I am in danger now
contact-urgent-hint = We cannot always answer quickly. Are you in danger right now? Call 112.
contact-message-label = Your message
contact-reply-language-label = Which language do you want our answer in?
contact-honeypot-label = Leave this field empty
contact-before-send = When you have sent your message you get a code. You need the code to read our answer.
contact-submit = Send

## The code

code-heading = Your code
code-urgent-heading = You wrote that you are in danger
code-sent = Your message has been sent. With this code you can read our answer:
code-keep-heading = How to keep the code
code-keep-write = Write it down now, somewhere only you can see it. The code is shown only this once.
code-keep-shared = Do not save it on a phone or computer that someone else can look at.
code-keep-anyone = Anyone who has the code can read the whole conversation. Do not show it to anyone.
code-keep-lost = We do not know who you are. So we cannot give you the code again. If you lose it, you can write to us again and get a new code.
code-return-heading = When should I come back?
code-return-when = We usually answer within a few working days.
code-return-how = Go to the start page and enter the code under “Do you already have a code?”.
code-check-heading = Check the code

## The conversation

thread-heading = Your conversation
thread-sent = Your message has been sent.
thread-previous-open = The conversation was last opened before this visit:
thread-previous-open-not-you = Was that not you? Then someone else may know your code. Delete the conversation further down and write to us again to get a new code.
thread-first-open = This is the first time the conversation is opened with your code.
thread-messages-heading = Messages
thread-empty = There are no messages yet.
thread-author-me = You
thread-author-staff = { $name }, the centre
thread-author-centre = The centre
thread-delivered = Received by the centre
thread-not-delivered = Not yet received by the centre
thread-answer-time = We usually answer within a few working days. Come back with your code to read the answer.
thread-write-heading = Write again
thread-message-label = Your new message
thread-send = Send
thread-delete-heading = Delete the conversation
thread-delete-text = You can delete the conversation from the website whenever you want. The code then stops working.
thread-delete-button = Delete my conversation
thread-leave = When you are done, close the window or use the “Leave this page quickly” button at the top.

## Deleting

burn-confirm-heading = Delete the conversation?
burn-confirm-everything = The conversation is deleted from this website, both what you wrote and our answers.
burn-confirm-code = Your code stops working.
burn-confirm-centre = We at the centre are told that you deleted the conversation. What we have already received may remain with us, because we must follow the rules on record keeping.
burn-confirm-undo = This cannot be undone.
burn-confirm-button = Yes, delete the conversation
burned-heading = Your conversation is deleted
burned-text = The code no longer works. We at the centre have been told that you deleted the conversation.
burned-again = You are always welcome to write to us again. You will then get a new code.

## Error pages

error-bad-request-heading = What you sent could not be read
error-bad-request-text = Something went wrong when it was sent. Start again from the start page.
error-not-found-heading = The page does not exist
error-not-found-text = The address may be mistyped, or the page no longer exists.
error-method-heading = The page cannot be opened like this
error-method-text = This page is only used when a form is sent. Start again from the start page.
error-forbidden-heading = The form could not be accepted
error-forbidden-text = For your safety we only accept forms sent from our own pages. Start again from the start page and try again.
error-expired-heading = The page has expired
error-expired-text = For your safety, pages stop working after a while. Start again from the start page. If you were reading your conversation, enter your code again.
error-too-large-heading = What you sent was too long
error-too-large-text = Go back, make your message shorter and try again.
error-rate-limited-heading = Too many attempts
error-rate-limited-text = Wait a few minutes and then try again.
error-busy-heading = The website is busy right now
error-busy-text = Try again in a few minutes.
error-internal-heading = Something went wrong on our side
error-internal-text = Try again in a while. If you did not see a code or the notice that your message was sent, it has not been sent.
error-code-not-found-heading = The conversation could not be opened
error-code-not-found = We cannot find a conversation with that code. Check that you typed it correctly. A conversation is deleted if it has not been used for a while, or if the person who wrote deleted it. You can always write to us again and get a new code.

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
