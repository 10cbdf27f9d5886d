<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
  <context>
    <name>KioskScreen</name>
    <message>
      <location filename="../qml/KioskScreen.qml" line="41" />
      <source>Take a number</source>
      <translation>Take a number</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="42" />
      <source>Touch the button to start</source>
      <translation>Touch the button to start</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="43" />
      <source>Welcome</source>
      <translation>Welcome</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="44" />
      <source>Choose an agency</source>
      <translation>Choose an agency</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="45" />
      <source>Choose a service</source>
      <translation>Choose a service</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="46" />
      <source>%1 waiting</source>
      <translation>%1 waiting</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="47" />
      <source>about %1 min</source>
      <translation>about %1 min</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="48" />
      <source>no wait</source>
      <translation>no wait</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="49" />
      <source>Closed now · hours today %1</source>
      <translation>Closed now · hours today %1</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="50" />
      <source>Closed today</source>
      <translation>Closed today</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="51" />
      <source>Temporarily closed</source>
      <translation>Temporarily closed</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="52" />
      <source>Quota full for today</source>
      <translation>Quota full for today</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="53" />
      <source>Not available</source>
      <translation>Not available</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="54" />
      <source>Do you need priority service?</source>
      <translation>Do you need priority service?</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="55" />
      <source>Priority citizens are served first (UU 25/2009)</source>
      <translation>Priority citizens are served first (UU 25/2009)</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="56" />
      <source>No, regular queue</source>
      <translation>No, regular queue</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="57" />
      <source>Elderly (60+)</source>
      <translation>Elderly (60+)</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="58" />
      <source>Person with a disability</source>
      <translation>Person with a disability</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="59" />
      <source>Pregnant</source>
      <translation>Pregnant</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="60" />
      <source>With a small child</source>
      <translation>With a small child</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="61" />
      <source>Printing your ticket…</source>
      <translation>Printing your ticket…</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="62" />
      <source>Your queue number</source>
      <translation>Your queue number</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="63" />
      <source>Counter</source>
      <translation>Counter</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="64" />
      <source>People ahead of you</source>
      <translation>People ahead of you</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="65" />
      <source>Estimated wait</source>
      <translation>Estimated wait</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="66" />
      <source>Please take your ticket below</source>
      <translation>Please take your ticket below</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="67" />
      <source>Printer problem: please photograph this number</source>
      <translation>Printer problem: please photograph this number</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="68" />
      <source>Done</source>
      <translation>Done</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="69" />
      <source>Back</source>
      <translation>Back</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="70" />
      <source>Home</source>
      <translation>Home</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="71" />
      <source>This service is closed right now</source>
      <translation>This service is closed right now</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="72" />
      <source>Today's quota for this service is full</source>
      <translation>Today's quota for this service is full</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="73" />
      <source>Server unreachable, please try again</source>
      <translation>Server unreachable, please try again</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="74" />
      <source>Something went wrong, please try again</source>
      <translation>Something went wrong, please try again</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="75" />
      <source>No number was taken. Please choose again or ask an officer.</source>
      <translation>No number was taken. Please choose again or ask an officer.</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="76" />
      <source>Server unreachable: reconnecting…</source>
      <translation>Server unreachable: reconnecting…</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="77" />
      <source>Printer out of paper: your number will be shown on the screen</source>
      <translation>Printer out of paper: your number will be shown on the screen</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="78" />
      <source>Printer problem: your number will be shown on the screen</source>
      <translation>Printer problem: your number will be shown on the screen</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="79" />
      <source>Connecting to the queue server…</source>
      <translation>Connecting to the queue server…</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="80" />
      <source>Have an appointment? Hold its QR code under the scanner</source>
      <translation>Have an appointment? Hold its QR code under the scanner</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="81" />
      <source>Appointment %1</source>
      <translation>Appointment %1</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="82" />
      <source>This appointment code was not found</source>
      <translation>This appointment code was not found</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="83" />
      <source>This appointment has already been checked in</source>
      <translation>This appointment has already been checked in</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="84" />
      <source>The time of this appointment has passed</source>
      <translation>The time of this appointment has passed</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="85" />
      <source>This appointment is not for today</source>
      <translation>This appointment is not for today</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="86" />
      <source>This appointment is for another service mall</source>
      <translation>This appointment is for another service mall</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="87" />
      <source>The code could not be read, please scan again</source>
      <translation>The code could not be read, please scan again</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="88" />
      <source>This code is not an appointment QR code</source>
      <translation>This code is not an appointment QR code</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="89" />
      <source>This is a queue ticket, not an appointment QR code</source>
      <translation>This is a queue ticket, not an appointment QR code</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="90" />
      <source>This looks like an ID number (NIK), not an appointment code</source>
      <translation>This looks like an ID number (NIK), not an appointment code</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="91" />
      <source>Please ask the information desk, or take a regular number.</source>
      <translation>Please ask the information desk, or take a regular number.</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="93" />
      <source>Choose a service, then your number is printed</source>
      <translation>Choose a service, then your number is printed</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="94" />
      <source>Shows this agency's services</source>
      <translation>Shows this agency's services</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="95" />
      <source>Back to the previous screen</source>
      <translation>Back to the previous screen</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="96" />
      <source>Back to the welcome screen; no number is taken</source>
      <translation>Back to the welcome screen; no number is taken</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="97" />
      <source>Back to the welcome screen</source>
      <translation>Back to the welcome screen</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="98" />
      <source>Change the language of the screen</source>
      <translation>Change the language of the screen</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="100" />
      <source>Large text</source>
      <translation>Large text</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="101" />
      <source>Normal text</source>
      <translation>Normal text</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="102" />
      <source>Bigger text and buttons, high contrast, more time</source>
      <translation>Bigger text and buttons, high contrast, more time</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="103" />
      <source>Previous</source>
      <translation>Previous</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="104" />
      <source>More</source>
      <translation>More</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="105" />
      <source>The previous choices</source>
      <translation>The previous choices</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="106" />
      <source>More choices</source>
      <translation>More choices</translation>
    </message>
    <message>
      <location filename="../qml/KioskScreen.qml" line="107" />
      <source>Page %1 of %2</source>
      <translation>Page %1 of %2</translation>
    </message>
  </context>
</TS>
