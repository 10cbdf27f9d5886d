<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
  <context>
    <name>KioskScreen</name>
    <message>
      <location filename="../qml/KioskScreen.qml" line="42" />
      <source>Take a number</source>
      <translation>Take a number</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="43" />
      <source>Touch the button to start</source>
      <translation>Touch the button to start</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="44" />
      <source>Welcome</source>
      <translation>Welcome</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="45" />
      <source>Choose an agency</source>
      <translation>Choose an agency</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="46" />
      <source>Choose a service</source>
      <translation>Choose a service</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="47" />
      <source>%1 waiting</source>
      <translation>%1 waiting</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="48" />
      <source>about %1 min</source>
      <translation>about %1 min</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="49" />
      <source>no wait</source>
      <translation>no wait</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="50" />
      <source>Closed now · hours today %1</source>
      <translation>Closed now · hours today %1</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="51" />
      <source>Closed today</source>
      <translation>Closed today</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="52" />
      <source>Temporarily closed</source>
      <translation>Temporarily closed</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="53" />
      <source>Quota full for today</source>
      <translation>Quota full for today</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="54" />
      <source>Not available</source>
      <translation>Not available</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="55" />
      <source>Do you need priority service?</source>
      <translation>Do you need priority service?</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="56" />
      <source>Priority citizens are served first (UU 25/2009)</source>
      <translation>Priority citizens are served first (UU 25/2009)</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="57" />
      <source>No, regular queue</source>
      <translation>No, regular queue</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="58" />
      <source>Elderly (60+)</source>
      <translation>Elderly (60+)</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="59" />
      <source>Person with a disability</source>
      <translation>Person with a disability</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="60" />
      <source>Pregnant</source>
      <translation>Pregnant</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="61" />
      <source>With a small child</source>
      <translation>With a small child</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="62" />
      <source>Printing your ticket…</source>
      <translation>Printing your ticket…</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="63" />
      <source>Your queue number</source>
      <translation>Your queue number</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="64" />
      <source>Counter</source>
      <translation>Counter</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="65" />
      <source>People ahead of you</source>
      <translation>People ahead of you</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="66" />
      <source>Estimated wait</source>
      <translation>Estimated wait</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="67" />
      <source>Please take your ticket below</source>
      <translation>Please take your ticket below</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="68" />
      <source>Printer problem: please photograph this number</source>
      <translation>Printer problem: please photograph this number</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="69" />
      <source>Print a copy</source>
      <translation>Print a copy</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="70" />
      <source>Printing the copy…</source>
      <translation>Printing the copy…</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="71" />
      <source>The printer still does not print: please photograph this number or ask an officer</source>
      <translation>The printer still does not print: please photograph this number or ask an officer</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="72" />
      <source>A copy was printed: please take it below</source>
      <translation>A copy was printed: please take it below</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="73" />
      <source>This kiosk is out of paper</source>
      <translation>This kiosk is out of paper</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="74" />
      <source>This kiosk cannot print right now</source>
      <translation>This kiosk cannot print right now</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="75" />
      <source>Please take your number at</source>
      <translation>Please take your number at</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="76" />
      <source>This kiosk cannot print right now: please use another kiosk</source>
      <translation>This kiosk cannot print right now: please use another kiosk</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="77" />
      <source>Done</source>
      <translation>Done</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="78" />
      <source>Back</source>
      <translation>Back</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="79" />
      <source>Home</source>
      <translation>Home</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="80" />
      <source>This service is closed right now</source>
      <translation>This service is closed right now</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="81" />
      <source>Today's quota for this service is full</source>
      <translation>Today's quota for this service is full</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="82" />
      <source>Server unreachable, please try again</source>
      <translation>Server unreachable, please try again</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="83" />
      <source>Something went wrong, please try again</source>
      <translation>Something went wrong, please try again</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="84" />
      <source>No number was taken. Please choose again or ask an officer.</source>
      <translation>No number was taken. Please choose again or ask an officer.</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="85" />
      <source>Server unreachable: reconnecting…</source>
      <translation>Server unreachable: reconnecting…</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="86" />
      <source>Printer out of paper: your number will be shown on the screen</source>
      <translation>Printer out of paper: your number will be shown on the screen</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="87" />
      <source>Printer problem: your number will be shown on the screen</source>
      <translation>Printer problem: your number will be shown on the screen</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="88" />
      <source>Connecting to the queue server…</source>
      <translation>Connecting to the queue server…</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="89" />
      <source>Have an appointment? Hold its QR code under the scanner</source>
      <translation>Have an appointment? Hold its QR code under the scanner</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="90" />
      <source>Appointment %1</source>
      <translation>Appointment %1</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="91" />
      <source>This appointment code was not found</source>
      <translation>This appointment code was not found</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="92" />
      <source>This appointment has already been checked in</source>
      <translation>This appointment has already been checked in</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="93" />
      <source>The time of this appointment has passed</source>
      <translation>The time of this appointment has passed</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="94" />
      <source>This appointment is not for today</source>
      <translation>This appointment is not for today</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="95" />
      <source>This appointment is for another service mall</source>
      <translation>This appointment is for another service mall</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="96" />
      <source>The code could not be read, please scan again</source>
      <translation>The code could not be read, please scan again</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="97" />
      <source>This code is not an appointment QR code</source>
      <translation>This code is not an appointment QR code</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="98" />
      <source>This is a queue ticket, not an appointment QR code</source>
      <translation>This is a queue ticket, not an appointment QR code</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="99" />
      <source>This looks like an ID number (NIK), not an appointment code</source>
      <translation>This looks like an ID number (NIK), not an appointment code</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="100" />
      <source>Please ask the information desk, or take a regular number.</source>
      <translation>Please ask the information desk, or take a regular number.</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="102" />
      <source>Choose a service, then your number is printed</source>
      <translation>Choose a service, then your number is printed</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="103" />
      <source>Shows this agency's services</source>
      <translation>Shows this agency's services</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="104" />
      <source>Back to the previous screen</source>
      <translation>Back to the previous screen</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="105" />
      <source>Back to the welcome screen; no number is taken</source>
      <translation>Back to the welcome screen; no number is taken</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="106" />
      <source>Back to the welcome screen</source>
      <translation>Back to the welcome screen</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="107" />
      <source>Change the language of the screen</source>
      <translation>Change the language of the screen</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="109" />
      <source>Large text</source>
      <translation>Large text</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="110" />
      <source>Normal text</source>
      <translation>Normal text</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="111" />
      <source>Bigger text and buttons, high contrast, more time</source>
      <translation>Bigger text and buttons, high contrast, more time</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="112" />
      <source>Previous</source>
      <translation>Previous</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="113" />
      <source>More</source>
      <translation>More</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="114" />
      <source>The previous choices</source>
      <translation>The previous choices</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="115" />
      <source>More choices</source>
      <translation>More choices</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="116" />
      <source>Page %1 of %2</source>
      <translation>Page %1 of %2</translation>
    </message>
  </context>
  <context>
    <name>KioskVoice</name>
    <message>
      <location filename="../prompts.py" line="19" />
      <source>Voice guidance is on.</source>
      <translation>Voice guidance is on.</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="20" />
      <source>Press next or previous to hear the choices, choose to take the one you hear, back to go back, repeat to hear it again, help for these keys.</source>
      <translation>Press next or previous to hear the choices, choose to take the one you hear, back to go back, repeat to hear it again, help for these keys.</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="24" />
      <source>Choice %1 of %2: %3.</source>
      <translation>Choice %1 of %2: %3.</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="25" />
      <source>Welcome to %1.</source>
      <translation>Welcome to %1.</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="26" />
      <source>Take a queue number</source>
      <translation>Take a queue number</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="28" />
      <source>For English, press choose.</source>
      <translation>For English, press choose.</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="29" />
      <source>For Bahasa Indonesia, press choose.</source>
      <translation>For Bahasa Indonesia, press choose.</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="30" />
      <source>Choose an agency. %1 choices.</source>
      <translation>Choose an agency. %1 choices.</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="31" />
      <source>Choose a service of %1. %2 choices.</source>
      <translation>Choose a service of %1. %2 choices.</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="32" />
      <source>%1, %2 waiting, about %3 minutes</source>
      <translation>%1, %2 waiting, about %3 minutes</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="33" />
      <source>%1, no wait</source>
      <translation>%1, no wait</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="34" />
      <source>%1, closed now</source>
      <translation>%1, closed now</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="35" />
      <source>This service is closed now. Please choose another.</source>
      <translation>This service is closed now. Please choose another.</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="37" />
      <source>%1. Do you need priority service? Priority citizens are served first.</source>
      <translation>%1. Do you need priority service? Priority citizens are served first.</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="39" />
      <source>Yes, person with a disability</source>
      <translation>Yes, person with a disability</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="40" />
      <source>Yes, elderly, sixty or older</source>
      <translation>Yes, elderly, sixty or older</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="41" />
      <source>Yes, pregnant</source>
      <translation>Yes, pregnant</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="42" />
      <source>Yes, with a small child</source>
      <translation>Yes, with a small child</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="43" />
      <source>No, regular queue</source>
      <translation>No, regular queue</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="44" />
      <source>Printing your ticket, please wait.</source>
      <translation>Printing your ticket, please wait.</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="45" />
      <source>Your queue number is %1.</source>
      <translation>Your queue number is %1.</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="46" />
      <source>People ahead of you: %1.</source>
      <translation>People ahead of you: %1.</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="47" />
      <source>Estimated wait: about %1 minutes.</source>
      <translation>Estimated wait: about %1 minutes.</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="48" />
      <source>Estimated wait: you are next.</source>
      <translation>Estimated wait: you are next.</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="49" />
      <source>Please take your ticket from the slot below the screen. The officer will know to come to you.</source>
      <translation>Please take your ticket from the slot below the screen. The officer will know to come to you.</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="52" />
      <source>The printer has a problem: your ticket was not printed. Please ask an officer; your number is on the screen.</source>
      <translation>The printer has a problem: your ticket was not printed. Please ask an officer; your number is on the screen.</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="55" />
      <source>Done</source>
      <translation>Done</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="56" />
      <source>Print a copy of your ticket</source>
      <translation>Print a copy of your ticket</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="57" />
      <source>No number was taken: %1.</source>
      <translation>No number was taken: %1.</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="58" />
      <source>this service is closed now</source>
      <translation>this service is closed now</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="59" />
      <source>today's quota for this service is full</source>
      <translation>today's quota for this service is full</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="60" />
      <source>the server cannot be reached</source>
      <translation>the server cannot be reached</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="61" />
      <source>something went wrong</source>
      <translation>something went wrong</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="62" />
      <source>Back, choose again</source>
      <translation>Back, choose again</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="63" />
      <source>This code cannot be used. Please ask the information desk, or take a regular number.</source>
      <translation>This code cannot be used. Please ask the information desk, or take a regular number.</translation>
    </message>
    <message>
      <location filename="../prompts.py" line="66" />
      <source>First choice.</source>
      <translation>First choice.</translation>
    </message>
  </context>
</TS>
