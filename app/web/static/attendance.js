// Reads the device location before a check-in is sent. Without a location the form is still
// sent, so the server answers with its message (and the attempt is recorded).
(function () {
  "use strict";
  var form = document.getElementById("check-form");
  if (!form) { return; }
  var status = document.getElementById("geo-status");
  var sending = false;
  form.querySelectorAll("button[data-kind]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      event.preventDefault();
      if (sending) { return; }
      sending = true;
      document.getElementById("kind").value = button.dataset.kind;
      status.textContent = button.dataset.waiting;
      if (!navigator.geolocation) { form.submit(); return; }
      navigator.geolocation.getCurrentPosition(function (position) {
        document.getElementById("latitude").value = position.coords.latitude;
        document.getElementById("longitude").value = position.coords.longitude;
        document.getElementById("accuracy").value = position.coords.accuracy;
        form.submit();
      }, function () { form.submit(); }, {enableHighAccuracy: true, timeout: 15000, maximumAge: 0});
    });
  });
})();
