"""Infrastructure every area of the app uses: below services, engine and models alike."""
