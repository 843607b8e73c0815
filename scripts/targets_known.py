"""Hand-curated famous packages, most popular first (maintainers' knowledge, see data/README.md).

These lists only fix the order at the top of the bundled target lists for registries
whose machine-readable sources carry no download counts (RubyGems, Maven, Go, Hugging
Face). Every entry is validated with `confuguard.names.parse` by build_targets.py.
"""

from __future__ import annotations

# Roughly by all-time downloads on rubygems.org.
RUBYGEMS = """
bundler rake rack activesupport i18n json concurrent-ruby tzinfo minitest thread_safe
aws-sdk-core aws-sigv4 aws-partitions jmespath multi_json faraday nokogiri mini_portile2
racc rspec rspec-core rspec-expectations rspec-mocks rspec-support diff-lcs builder
activemodel actionpack actionview activerecord railties rails actionmailer activejob
actioncable activestorage actionmailbox actiontext mime-types mime-types-data mail
thor tilt rack-test erubi erubis method_source sprockets sprockets-rails mini_mime
public_suffix addressable crass loofah rails-html-sanitizer rails-dom-testing
globalid nio4r websocket-driver websocket-extensions zeitwerk marcel
ffi coderay pry byebug rubocop rubocop-ast parser ast unicode-display_width
rainbow regexp_parser parallel ruby-progressbar colorize faraday-net_http
net-http faraday_middleware multipart-post httparty http rest-client
excon aws-eventstream aws-sdk-s3 aws-sdk-kms aws-sdk net-ssh net-scp net-sftp
net-smtp net-imap net-pop net-protocol timeout date uri logger base64 bigdecimal
set stringio psych yaml strscan io-console reline irb rdoc webrick
puma unicorn thin rackup sinatra mustermann rack-protection redis redis-client
sidekiq connection_pool resque delayed_job pg mysql2 sqlite3 sequel
devise warden bcrypt orm_adapter responders jwt oauth2 omniauth
simplecov simplecov-html docile simplecov_json_formatter webmock vcr
factory_bot factory_bot_rails faker capybara selenium-webdriver childprocess
rubyzip xpath launchy cucumber database_cleaner shoulda-matchers timecop
kaminari will_paginate sass sassc sass-rails coffee-script coffee-rails execjs
uglifier jquery-rails turbolinks turbo-rails stimulus-rails importmap-rails
jbuilder bootsnap msgpack listen rb-fsevent rb-inotify spring web-console
letter_opener dotenv dotenv-rails figaro config paperclip carrierwave
mini_magick image_processing ruby-vips chunky_png rmagick
haml slim liquid kramdown redcarpet rouge jekyll octokit
sawyer google-protobuf grpc googleauth signet os memoist
highline commander tty-prompt tty-command gli slop optimist trollop
colored term-ansicolor tins hashie hashdiff safe_yaml sorbet-runtime
activeadmin pundit cancancan rolify paper_trail aasm friendly_id ransack
geocoder money money-rails stripe twilio-ruby sentry-ruby sentry-raven
newrelic_rpm honeybadger bugsnag rollbar airbrake ddtrace dogstatsd-ruby
elasticsearch searchkick mongo mongoid bson dalli rack-cors rack-attack
grape graphql graphql-batch active_model_serializers oj yajl-ruby
awesome_print pry-byebug pry-rails better_errors binding_of_caller annotate
brakeman bundler-audit rubocop-rails rubocop-rspec rubocop-performance
standard reek fasterer overcommit guard guard-rspec yard
chef ohai fog fog-core fog-aws vagrant puppet facter hiera capistrano
cocoapods fastlane xcodeproj claide cocoapods-core
"""

# groupId:artifactId, roughly by Maven Central usage.
MAVEN = """
junit:junit org.junit.jupiter:junit-jupiter-api org.junit.jupiter:junit-jupiter-engine
org.junit.jupiter:junit-jupiter org.junit.jupiter:junit-jupiter-params
org.junit.platform:junit-platform-launcher org.junit.vintage:junit-vintage-engine
org.slf4j:slf4j-api org.slf4j:slf4j-simple org.slf4j:slf4j-log4j12 org.slf4j:jcl-over-slf4j
org.slf4j:log4j-over-slf4j org.slf4j:jul-to-slf4j
com.google.guava:guava com.google.guava:failureaccess com.google.code.findbugs:jsr305
com.google.errorprone:error_prone_annotations com.google.j2objc:j2objc-annotations
com.google.code.gson:gson com.google.protobuf:protobuf-java com.google.protobuf:protobuf-java-util
com.google.inject:guice com.google.auto.value:auto-value com.google.auto.value:auto-value-annotations
com.google.auto.service:auto-service com.google.truth:truth com.google.dagger:dagger
com.fasterxml.jackson.core:jackson-databind com.fasterxml.jackson.core:jackson-core
com.fasterxml.jackson.core:jackson-annotations com.fasterxml.jackson.datatype:jackson-datatype-jsr310
com.fasterxml.jackson.datatype:jackson-datatype-jdk8 com.fasterxml.jackson.module:jackson-module-kotlin
com.fasterxml.jackson.module:jackson-module-parameter-names com.fasterxml.jackson.dataformat:jackson-dataformat-yaml
com.fasterxml.jackson.dataformat:jackson-dataformat-xml com.fasterxml.jackson.dataformat:jackson-dataformat-csv
org.mockito:mockito-core org.mockito:mockito-junit-jupiter org.mockito:mockito-inline
org.assertj:assertj-core org.hamcrest:hamcrest org.hamcrest:hamcrest-core org.hamcrest:hamcrest-library
org.projectlombok:lombok ch.qos.logback:logback-classic ch.qos.logback:logback-core
org.apache.logging.log4j:log4j-api org.apache.logging.log4j:log4j-core org.apache.logging.log4j:log4j-slf4j-impl
org.apache.logging.log4j:log4j-slf4j2-impl org.apache.logging.log4j:log4j-to-slf4j log4j:log4j
commons-io:commons-io commons-codec:commons-codec commons-logging:commons-logging
commons-lang:commons-lang commons-collections:commons-collections commons-cli:commons-cli
commons-beanutils:commons-beanutils commons-fileupload:commons-fileupload commons-net:commons-net
commons-httpclient:commons-httpclient commons-pool:commons-pool commons-dbcp:commons-dbcp
org.apache.commons:commons-lang3 org.apache.commons:commons-collections4 org.apache.commons:commons-text
org.apache.commons:commons-compress org.apache.commons:commons-math3 org.apache.commons:commons-pool2
org.apache.commons:commons-dbcp2 org.apache.commons:commons-csv org.apache.commons:commons-exec
org.apache.commons:commons-configuration2 org.apache.commons:commons-email
org.apache.httpcomponents:httpclient org.apache.httpcomponents:httpcore org.apache.httpcomponents:httpmime
org.apache.httpcomponents.client5:httpclient5 org.apache.httpcomponents.core5:httpcore5
org.springframework:spring-core org.springframework:spring-context org.springframework:spring-beans
org.springframework:spring-web org.springframework:spring-webmvc org.springframework:spring-aop
org.springframework:spring-expression org.springframework:spring-jdbc org.springframework:spring-tx
org.springframework:spring-orm org.springframework:spring-test org.springframework:spring-jcl
org.springframework:spring-messaging org.springframework:spring-webflux org.springframework:spring-context-support
org.springframework.boot:spring-boot org.springframework.boot:spring-boot-autoconfigure
org.springframework.boot:spring-boot-starter org.springframework.boot:spring-boot-starter-web
org.springframework.boot:spring-boot-starter-test org.springframework.boot:spring-boot-starter-data-jpa
org.springframework.boot:spring-boot-starter-actuator org.springframework.boot:spring-boot-starter-security
org.springframework.boot:spring-boot-starter-logging org.springframework.boot:spring-boot-starter-json
org.springframework.boot:spring-boot-starter-tomcat org.springframework.boot:spring-boot-starter-validation
org.springframework.boot:spring-boot-starter-webflux org.springframework.boot:spring-boot-maven-plugin
org.springframework.boot:spring-boot-devtools org.springframework.boot:spring-boot-configuration-processor
org.springframework.security:spring-security-core org.springframework.security:spring-security-web
org.springframework.security:spring-security-config org.springframework.data:spring-data-commons
org.springframework.data:spring-data-jpa org.springframework.cloud:spring-cloud-context
org.jetbrains.kotlin:kotlin-stdlib org.jetbrains.kotlin:kotlin-stdlib-jdk8 org.jetbrains.kotlin:kotlin-stdlib-common
org.jetbrains.kotlin:kotlin-reflect org.jetbrains.kotlinx:kotlinx-coroutines-core org.jetbrains:annotations
org.scala-lang:scala-library org.scala-lang:scala-reflect org.yaml:snakeyaml
org.apache.maven.plugins:maven-compiler-plugin org.apache.maven.plugins:maven-surefire-plugin
org.apache.maven.plugins:maven-jar-plugin org.apache.maven.plugins:maven-resources-plugin
org.apache.maven.plugins:maven-install-plugin org.apache.maven.plugins:maven-deploy-plugin
org.apache.maven.plugins:maven-clean-plugin org.apache.maven.plugins:maven-shade-plugin
org.apache.maven.plugins:maven-source-plugin org.apache.maven.plugins:maven-javadoc-plugin
org.apache.maven.plugins:maven-assembly-plugin org.apache.maven.plugins:maven-dependency-plugin
org.apache.maven.plugins:maven-failsafe-plugin org.apache.maven.plugins:maven-enforcer-plugin
org.apache.maven:maven-core org.apache.maven:maven-plugin-api org.apache.maven:maven-model
io.netty:netty-all io.netty:netty-handler io.netty:netty-buffer io.netty:netty-codec io.netty:netty-common
io.netty:netty-transport io.netty:netty-codec-http io.netty:netty-resolver
io.grpc:grpc-api io.grpc:grpc-core io.grpc:grpc-netty-shaded io.grpc:grpc-protobuf io.grpc:grpc-stub
com.squareup.okhttp3:okhttp com.squareup.okhttp3:logging-interceptor com.squareup.okio:okio
com.squareup.retrofit2:retrofit com.squareup.retrofit2:converter-gson com.squareup:javapoet
com.squareup.moshi:moshi io.reactivex.rxjava2:rxjava io.reactivex.rxjava3:rxjava
io.projectreactor:reactor-core org.reactivestreams:reactive-streams
javax.servlet:javax.servlet-api javax.servlet:servlet-api javax.annotation:javax.annotation-api
javax.validation:validation-api javax.inject:javax.inject javax.xml.bind:jaxb-api javax.activation:activation
javax.persistence:javax.persistence-api javax.ws.rs:javax.ws.rs-api javax.mail:mail
jakarta.servlet:jakarta.servlet-api jakarta.annotation:jakarta.annotation-api
jakarta.validation:jakarta.validation-api jakarta.xml.bind:jakarta.xml.bind-api
jakarta.persistence:jakarta.persistence-api jakarta.activation:jakarta.activation-api jakarta.inject:jakarta.inject-api
org.hibernate:hibernate-core org.hibernate.validator:hibernate-validator org.hibernate:hibernate-entitymanager
org.glassfish.jersey.core:jersey-server org.glassfish.jersey.core:jersey-client org.glassfish.jaxb:jaxb-runtime
org.eclipse.jetty:jetty-server org.eclipse.jetty:jetty-servlet org.eclipse.jetty:jetty-util
org.apache.tomcat.embed:tomcat-embed-core org.apache.tomcat.embed:tomcat-embed-el
mysql:mysql-connector-java com.mysql:mysql-connector-j org.postgresql:postgresql com.h2database:h2
org.xerial:sqlite-jdbc org.mariadb.jdbc:mariadb-java-client com.oracle.database.jdbc:ojdbc8
com.microsoft.sqlserver:mssql-jdbc com.zaxxer:HikariCP org.mybatis:mybatis org.flywaydb:flyway-core
org.liquibase:liquibase-core org.apache.kafka:kafka-clients org.apache.kafka:kafka_2.13
org.apache.zookeeper:zookeeper org.apache.hadoop:hadoop-common org.apache.hadoop:hadoop-client
org.apache.spark:spark-core_2.12 org.apache.spark:spark-sql_2.12 org.apache.avro:avro
org.apache.parquet:parquet-hadoop org.apache.thrift:libthrift org.apache.curator:curator-framework
org.apache.poi:poi org.apache.poi:poi-ooxml org.apache.pdfbox:pdfbox org.apache.tika:tika-core
org.apache.velocity:velocity org.freemarker:freemarker org.thymeleaf:thymeleaf
org.apache.lucene:lucene-core org.elasticsearch:elasticsearch org.elasticsearch.client:elasticsearch-rest-client
org.apache.ant:ant org.apache.groovy:groovy org.codehaus.groovy:groovy org.codehaus.groovy:groovy-all
org.codehaus.mojo:exec-maven-plugin org.codehaus.jackson:jackson-mapper-asl org.codehaus.jackson:jackson-core-asl
org.codehaus.plexus:plexus-utils org.ow2.asm:asm org.ow2.asm:asm-commons org.javassist:javassist
net.bytebuddy:byte-buddy net.bytebuddy:byte-buddy-agent org.objenesis:objenesis cglib:cglib
org.aspectj:aspectjweaver org.aspectj:aspectjrt aopalliance:aopalliance
org.testng:testng org.easymock:easymock org.powermock:powermock-api-mockito2 org.jmockit:jmockit
org.opentest4j:opentest4j org.apiguardian:apiguardian-api org.skyscreamer:jsonassert
com.jayway.jsonpath:json-path net.minidev:json-smart org.json:json com.googlecode.json-simple:json-simple
com.alibaba:fastjson com.alibaba.fastjson2:fastjson2 com.alibaba:druid cn.hutool:hutool-all
org.bouncycastle:bcprov-jdk15on org.bouncycastle:bcprov-jdk18on org.bouncycastle:bcpkix-jdk15on
io.jsonwebtoken:jjwt com.auth0:java-jwt com.nimbusds:nimbus-jose-jwt
io.micrometer:micrometer-core io.micrometer:micrometer-registry-prometheus io.dropwizard.metrics:metrics-core
io.prometheus:simpleclient io.opentelemetry:opentelemetry-api io.swagger:swagger-annotations
io.swagger.core.v3:swagger-annotations org.springdoc:springdoc-openapi-ui io.springfox:springfox-swagger2
org.mapstruct:mapstruct org.mapstruct:mapstruct-processor org.modelmapper:modelmapper
com.github.ben-manes.caffeine:caffeine net.sf.ehcache:ehcache org.ehcache:ehcache redis.clients:jedis
io.lettuce:lettuce-core org.redisson:redisson org.mongodb:mongodb-driver-sync org.mongodb:bson
com.amazonaws:aws-java-sdk-core com.amazonaws:aws-java-sdk-s3 software.amazon.awssdk:s3
software.amazon.awssdk:sdk-core com.google.cloud:google-cloud-storage com.google.api-client:google-api-client
com.google.http-client:google-http-client com.google.oauth-client:google-oauth-client
com.azure:azure-core com.microsoft.azure:azure-storage org.apache.camel:camel-core
io.vertx:vertx-core io.quarkus:quarkus-core io.micronaut:micronaut-core io.dropwizard:dropwizard-core
com.typesafe:config com.typesafe.akka:akka-actor_2.13 org.scalatest:scalatest_2.13
org.checkerframework:checker-qual com.github.spotbugs:spotbugs-annotations joda-time:joda-time
org.jsoup:jsoup com.opencsv:opencsv net.sf.jopt-simple:jopt-simple com.beust:jcommander info.picocli:picocli
args4j:args4j com.jcraft:jsch org.xerial.snappy:snappy-java org.lz4:lz4-java com.github.luben:zstd-jni
xml-apis:xml-apis xerces:xercesImpl dom4j:dom4j org.dom4j:dom4j jaxen:jaxen com.thoughtworks.xstream:xstream
org.antlr:antlr4-runtime antlr:antlr org.apache.commons:commons-vfs2 org.apache.shiro:shiro-core
org.quartz-scheduler:quartz com.lmax:disruptor org.hdrhistogram:HdrHistogram org.jboss.logging:jboss-logging
org.wildfly.common:wildfly-common org.jboss.resteasy:resteasy-jaxrs org.apache.cxf:cxf-core
com.sun.mail:javax.mail com.sun.xml.bind:jaxb-impl com.sun.activation:jakarta.activation
org.glassfish:jakarta.el org.apache.tomcat:tomcat-jdbc org.seleniumhq.selenium:selenium-java
org.seleniumhq.selenium:selenium-api io.rest-assured:rest-assured com.github.tomakehurst:wiremock
org.wiremock:wiremock org.testcontainers:testcontainers org.testcontainers:junit-jupiter
org.awaitility:awaitility io.cucumber:cucumber-java org.jacoco:jacoco-maven-plugin
androidx.appcompat:appcompat androidx.core:core androidx.annotation:annotation
androidx.recyclerview:recyclerview androidx.lifecycle:lifecycle-runtime
com.google.android.material:material com.android.tools.build:gradle
"""

# Go module paths, roughly by how many modules depend on them.
GOLANG = """
github.com/stretchr/testify golang.org/x/sys golang.org/x/net golang.org/x/text golang.org/x/crypto
gopkg.in/yaml.v3 google.golang.org/protobuf github.com/davecgh/go-spew github.com/pmezard/go-difflib
github.com/google/uuid github.com/pkg/errors github.com/golang/protobuf google.golang.org/grpc
github.com/google/go-cmp github.com/spf13/cobra github.com/spf13/pflag github.com/spf13/viper
github.com/sirupsen/logrus go.uber.org/zap golang.org/x/sync golang.org/x/oauth2 golang.org/x/tools
golang.org/x/mod golang.org/x/term golang.org/x/time golang.org/x/exp gopkg.in/yaml.v2
github.com/gin-gonic/gin github.com/gorilla/mux github.com/gorilla/websocket github.com/labstack/echo
github.com/gofiber/fiber github.com/go-chi/chi github.com/julienschmidt/httprouter github.com/valyala/fasthttp
github.com/mattn/go-isatty github.com/mattn/go-colorable github.com/mattn/go-sqlite3 github.com/mattn/go-runewidth
github.com/fatih/color github.com/json-iterator/go github.com/go-playground/validator
github.com/go-sql-driver/mysql github.com/lib/pq github.com/jackc/pgx gorm.io/gorm
github.com/jmoiron/sqlx github.com/redis/go-redis github.com/go-redis/redis github.com/gomodule/redigo
go.mongodb.org/mongo-driver github.com/prometheus/client_golang github.com/prometheus/common
github.com/prometheus/client_model github.com/prometheus/procfs github.com/beorn7/perks
github.com/cespare/xxhash github.com/golang/mock go.uber.org/mock github.com/onsi/ginkgo github.com/onsi/gomega
github.com/BurntSushi/toml github.com/pelletier/go-toml github.com/hashicorp/go-multierror
github.com/hashicorp/errwrap github.com/hashicorp/hcl github.com/hashicorp/golang-lru
github.com/hashicorp/go-version github.com/hashicorp/consul github.com/hashicorp/vault
github.com/hashicorp/terraform-plugin-sdk github.com/hashicorp/go-hclog github.com/hashicorp/go-retryablehttp
github.com/golang-jwt/jwt github.com/dgrijalva/jwt-go github.com/aws/aws-sdk-go github.com/aws/aws-sdk-go-v2
github.com/aws/smithy-go cloud.google.com/go github.com/Azure/azure-sdk-for-go github.com/Azure/go-autorest
k8s.io/api k8s.io/apimachinery k8s.io/client-go k8s.io/klog k8s.io/utils k8s.io/kube-openapi
sigs.k8s.io/yaml sigs.k8s.io/controller-runtime sigs.k8s.io/structured-merge-diff
github.com/docker/docker github.com/docker/go-connections github.com/docker/go-units
github.com/opencontainers/image-spec github.com/opencontainers/go-digest github.com/opencontainers/runc
github.com/containerd/containerd github.com/moby/moby github.com/gogo/protobuf github.com/google/gofuzz
github.com/modern-go/reflect2 github.com/modern-go/concurrent github.com/go-logr/logr
github.com/go-openapi/swag github.com/go-openapi/jsonpointer github.com/emicklei/go-restful
github.com/imdario/mergo github.com/mitchellh/mapstructure github.com/mitchellh/go-homedir
github.com/fsnotify/fsnotify github.com/spf13/afero github.com/spf13/cast github.com/subosito/gotenv
github.com/magiconair/properties github.com/inconshreveable/mousetrap github.com/cpuguy83/go-md2man
github.com/russross/blackfriday github.com/urfave/cli github.com/alecthomas/kingpin
github.com/google/go-github github.com/gorilla/handlers github.com/gorilla/sessions
github.com/klauspost/compress github.com/golang/snappy github.com/pierrec/lz4 github.com/ulikunitz/xz
github.com/rs/zerolog github.com/rs/cors github.com/shopspring/decimal github.com/dustin/go-humanize
github.com/robfig/cron github.com/tidwall/gjson github.com/buger/jsonparser github.com/valyala/fastjson
go.opentelemetry.io/otel go.opentelemetry.io/contrib go.opencensus.io go.etcd.io/etcd go.etcd.io/bbolt
github.com/boltdb/bolt github.com/dgraph-io/badger github.com/syndtr/goleveldb github.com/cockroachdb/pebble
github.com/nats-io/nats.go github.com/segmentio/kafka-go github.com/Shopify/sarama github.com/IBM/sarama
github.com/streadway/amqp github.com/rabbitmq/amqp091-go github.com/eclipse/paho.mqtt.golang
github.com/grpc-ecosystem/grpc-gateway github.com/grpc-ecosystem/go-grpc-middleware
google.golang.org/genproto google.golang.org/api google.golang.org/appengine
github.com/google/btree github.com/google/pprof github.com/google/shlex github.com/google/wire
github.com/kr/pretty github.com/kr/text github.com/niemeyer/pretty gopkg.in/check.v1
github.com/rogpeppe/go-internal github.com/stretchr/objx github.com/kylelemons/godebug
github.com/go-kit/kit github.com/go-kit/log github.com/go-logfmt/logfmt github.com/opentracing/opentracing-go
github.com/uber/jaeger-client-go github.com/gofrs/uuid github.com/satori/go.uuid github.com/oklog/ulid
github.com/charmbracelet/bubbletea github.com/charmbracelet/lipgloss github.com/olekukonko/tablewriter
github.com/schollz/progressbar github.com/cheggaaa/pb github.com/manifoldco/promptui github.com/AlecAivazis/survey
github.com/gobwas/glob github.com/bmatcuk/doublestar github.com/Masterminds/semver github.com/Masterminds/sprig
github.com/blang/semver github.com/hashicorp/go-getter github.com/go-git/go-git github.com/xanzy/go-gitlab
github.com/gocolly/colly github.com/PuerkitoBio/goquery github.com/chromedp/chromedp
github.com/nats-io/nats-server github.com/minio/minio-go github.com/minio/sha256-simd
github.com/ethereum/go-ethereum github.com/btcsuite/btcd github.com/libp2p/go-libp2p github.com/ipfs/go-cid
github.com/miekg/dns github.com/vishvananda/netlink github.com/google/gopacket github.com/coreos/go-systemd
github.com/godbus/dbus github.com/cilium/ebpf github.com/shirou/gopsutil github.com/hashicorp/memberlist
github.com/hashicorp/raft github.com/hashicorp/serf github.com/armon/go-metrics github.com/beevik/ntp
github.com/go-resty/resty github.com/hashicorp/go-cleanhttp github.com/jarcoal/httpmock github.com/h2non/gock
github.com/DATA-DOG/go-sqlmock github.com/golang-migrate/migrate github.com/pressly/goose
github.com/swaggo/swag github.com/swaggo/gin-swagger github.com/99designs/gqlgen github.com/graphql-go/graphql
github.com/vektah/gqlparser github.com/spf13/jwalterweatherman github.com/hashicorp/go-plugin
github.com/gorilla/schema github.com/gorilla/csrf github.com/unrolled/render github.com/urfave/negroni
github.com/go-kratos/kratos github.com/zeromicro/go-zero github.com/micro/go-micro github.com/beego/beego
github.com/cloudflare/cfssl github.com/smallstep/certificates filippo.io/age filippo.io/edwards25519
github.com/ProtonMail/go-crypto github.com/go-jose/go-jose gopkg.in/square/go-jose.v2 github.com/lestrrat-go/jwx
honnef.co/go/tools github.com/golangci/golangci-lint mvdan.cc/gofumpt github.com/mgechev/revive
github.com/kisielk/errcheck github.com/securego/gosec github.com/goreleaser/goreleaser
github.com/hashicorp/terraform github.com/pulumi/pulumi github.com/grafana/grafana github.com/influxdata/influxdb
github.com/gohugoio/hugo github.com/caddyserver/caddy github.com/traefik/traefik
helm.sh/helm github.com/cli/cli github.com/junegunn/fzf
"""

# Hugging Face model ids, roughly by downloads on the Hub; legacy un-namespaced ids follow their org form.
HUGGINGFACE = """
sentence-transformers/all-MiniLM-L6-v2 google-bert/bert-base-uncased bert-base-uncased
sentence-transformers/all-mpnet-base-v2 FacebookAI/roberta-base roberta-base openai/clip-vit-base-patch32
openai/clip-vit-large-patch14 distilbert/distilbert-base-uncased distilbert-base-uncased
openai-community/gpt2 gpt2 BAAI/bge-small-en-v1.5 BAAI/bge-base-en-v1.5 BAAI/bge-large-en-v1.5 BAAI/bge-m3
sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2 sentence-transformers/multi-qa-MiniLM-L6-cos-v1
sentence-transformers/paraphrase-MiniLM-L6-v2 sentence-transformers/all-MiniLM-L12-v2
sentence-transformers/paraphrase-multilingual-mpnet-base-v2 sentence-transformers/multi-qa-mpnet-base-dot-v1
cross-encoder/ms-marco-MiniLM-L-6-v2 cross-encoder/ms-marco-MiniLM-L-12-v2
FacebookAI/xlm-roberta-base xlm-roberta-base FacebookAI/xlm-roberta-large xlm-roberta-large
FacebookAI/roberta-large roberta-large google-bert/bert-base-cased bert-base-cased
google-bert/bert-large-uncased bert-large-uncased google-bert/bert-base-multilingual-cased bert-base-multilingual-cased
google-bert/bert-base-multilingual-uncased distilbert/distilbert-base-uncased-finetuned-sst-2-english
distilbert-base-uncased-finetuned-sst-2-english distilbert/distilroberta-base distilroberta-base
distilbert/distilgpt2 distilgpt2 distilbert/distilbert-base-cased distilbert/distilbert-base-multilingual-cased
google-t5/t5-small t5-small google-t5/t5-base t5-base google-t5/t5-large t5-large google/flan-t5-base
google/flan-t5-small google/flan-t5-large google/flan-t5-xl google/mt5-small google/mt5-base
facebook/bart-large facebook/bart-base facebook/bart-large-cnn facebook/bart-large-mnli
albert/albert-base-v2 albert-base-v2 google/electra-base-discriminator google/electra-small-discriminator
microsoft/deberta-v3-base microsoft/deberta-v3-large microsoft/deberta-v3-small microsoft/mdeberta-v3-base
microsoft/deberta-base microsoft/MiniLM-L12-H384-uncased microsoft/layoutlmv3-base microsoft/codebert-base
microsoft/resnet-50 microsoft/phi-2 microsoft/Phi-3-mini-4k-instruct microsoft/Phi-3.5-mini-instruct microsoft/phi-4
microsoft/trocr-base-handwritten microsoft/table-transformer-detection microsoft/Florence-2-large
microsoft/Florence-2-base microsoft/swin-tiny-patch4-window7-224 microsoft/beit-base-patch16-224
openai/whisper-large-v3 openai/whisper-large-v3-turbo openai/whisper-small openai/whisper-base
openai/whisper-tiny openai/whisper-medium openai/whisper-large-v2 openai/whisper-tiny.en
openai/clip-vit-base-patch16 openai/clip-vit-large-patch14-336 openai/gpt-oss-20b openai/gpt-oss-120b
openai-community/gpt2-medium openai-community/gpt2-large openai-community/gpt2-xl openai-community/roberta-base-openai-detector
facebook/wav2vec2-base-960h facebook/wav2vec2-large-960h-lv60-self facebook/hubert-base-ls960
facebook/dinov2-small facebook/dinov2-base facebook/dinov2-large facebook/dinov2-giant
facebook/detr-resnet-50 facebook/detr-resnet-101 facebook/sam-vit-base facebook/sam-vit-huge facebook/sam-vit-large
facebook/opt-125m facebook/opt-350m facebook/opt-1.3b facebook/esm2_t6_8M_UR50D facebook/esm2_t33_650M_UR50D
facebook/nllb-200-distilled-600M facebook/m2m100_418M facebook/mbart-large-50-many-to-many-mmt
facebook/musicgen-small facebook/encodec_24khz facebook/convnext-tiny-224 facebook/deit-base-distilled-patch16-224
facebook/vit-mae-base facebook/blenderbot-400M-distill facebook/bart-large-xsum
google/vit-base-patch16-224 google/vit-base-patch16-224-in21k google/siglip-so400m-patch14-384
google/siglip-base-patch16-224 google/gemma-2b google/gemma-7b google/gemma-2b-it google/gemma-7b-it
google/gemma-2-2b google/gemma-2-2b-it google/gemma-2-9b google/gemma-2-9b-it google/gemma-2-27b-it
google/gemma-3-1b-it google/gemma-3-4b-it google/gemma-3-12b-it google/gemma-3-27b-it google/gemma-3-270m
google/paligemma-3b-pt-224 google/owlvit-base-patch32 google/owlv2-base-patch16-ensemble
google/pegasus-xsum google/pegasus-large google/bigbird-roberta-base google/tapas-base-finetuned-wtq
google/byt5-small google/canine-s google/mobilebert-uncased google/efficientnet-b0 google/mobilenet_v2_1.0_224
google/embeddinggemma-300m google/timesfm-1.0-200m google/umt5-small
meta-llama/Llama-2-7b-hf meta-llama/Llama-2-7b-chat-hf meta-llama/Llama-2-13b-hf meta-llama/Llama-2-13b-chat-hf
meta-llama/Llama-2-70b-hf meta-llama/Llama-2-70b-chat-hf meta-llama/Meta-Llama-3-8B meta-llama/Meta-Llama-3-8B-Instruct
meta-llama/Meta-Llama-3-70B-Instruct meta-llama/Meta-Llama-3.1-8B meta-llama/Meta-Llama-3.1-8B-Instruct
meta-llama/Llama-3.1-8B meta-llama/Llama-3.1-8B-Instruct meta-llama/Llama-3.1-70B-Instruct meta-llama/Llama-3.1-405B-Instruct
meta-llama/Llama-3.2-1B meta-llama/Llama-3.2-1B-Instruct meta-llama/Llama-3.2-3B meta-llama/Llama-3.2-3B-Instruct
meta-llama/Llama-3.2-11B-Vision-Instruct meta-llama/Llama-3.3-70B-Instruct meta-llama/Llama-Guard-3-8B
meta-llama/Llama-4-Scout-17B-16E-Instruct meta-llama/Llama-4-Maverick-17B-128E-Instruct
meta-llama/CodeLlama-7b-hf codellama/CodeLlama-7b-hf codellama/CodeLlama-7b-Instruct-hf
mistralai/Mistral-7B-v0.1 mistralai/Mistral-7B-Instruct-v0.1 mistralai/Mistral-7B-Instruct-v0.2
mistralai/Mistral-7B-Instruct-v0.3 mistralai/Mixtral-8x7B-v0.1 mistralai/Mixtral-8x7B-Instruct-v0.1
mistralai/Mixtral-8x22B-Instruct-v0.1 mistralai/Mistral-Nemo-Instruct-2407 mistralai/Mistral-Small-Instruct-2409
mistralai/Mistral-Small-24B-Instruct-2501 mistralai/Mistral-Large-Instruct-2407 mistralai/Pixtral-12B-2409
mistralai/Codestral-22B-v0.1 mistralai/Ministral-8B-Instruct-2410
Qwen/Qwen2.5-7B-Instruct Qwen/Qwen2.5-0.5B-Instruct Qwen/Qwen2.5-1.5B-Instruct Qwen/Qwen2.5-3B-Instruct
Qwen/Qwen2.5-14B-Instruct Qwen/Qwen2.5-32B-Instruct Qwen/Qwen2.5-72B-Instruct Qwen/Qwen2.5-0.5B Qwen/Qwen2.5-7B
Qwen/Qwen2.5-Coder-7B-Instruct Qwen/Qwen2.5-Coder-32B-Instruct Qwen/Qwen2.5-VL-7B-Instruct Qwen/Qwen2.5-VL-3B-Instruct
Qwen/Qwen2.5-VL-72B-Instruct Qwen/Qwen2-VL-7B-Instruct Qwen/Qwen2-7B-Instruct Qwen/Qwen2-0.5B Qwen/Qwen2-1.5B-Instruct
Qwen/Qwen3-0.6B Qwen/Qwen3-1.7B Qwen/Qwen3-4B Qwen/Qwen3-8B Qwen/Qwen3-14B Qwen/Qwen3-32B Qwen/Qwen3-30B-A3B
Qwen/Qwen3-235B-A22B Qwen/Qwen3-Embedding-0.6B Qwen/Qwen3-Embedding-8B Qwen/Qwen3-Reranker-0.6B
Qwen/Qwen3-4B-Instruct-2507 Qwen/Qwen3-Coder-30B-A3B-Instruct Qwen/QwQ-32B Qwen/Qwen-7B Qwen/Qwen-7B-Chat
deepseek-ai/DeepSeek-R1 deepseek-ai/DeepSeek-V3 deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B
deepseek-ai/DeepSeek-R1-Distill-Qwen-7B deepseek-ai/DeepSeek-R1-Distill-Qwen-32B deepseek-ai/DeepSeek-R1-Distill-Llama-8B
deepseek-ai/DeepSeek-R1-Distill-Llama-70B deepseek-ai/DeepSeek-V2-Lite deepseek-ai/deepseek-coder-6.7b-instruct
deepseek-ai/deepseek-coder-1.3b-base deepseek-ai/DeepSeek-V3-0324 deepseek-ai/Janus-Pro-7B
intfloat/e5-small-v2 intfloat/e5-base-v2 intfloat/e5-large-v2 intfloat/multilingual-e5-small
intfloat/multilingual-e5-base intfloat/multilingual-e5-large intfloat/multilingual-e5-large-instruct
intfloat/e5-mistral-7b-instruct thenlper/gte-small thenlper/gte-base thenlper/gte-large
Alibaba-NLP/gte-large-en-v1.5 Alibaba-NLP/gte-base-en-v1.5 Alibaba-NLP/gte-multilingual-base
nomic-ai/nomic-embed-text-v1 nomic-ai/nomic-embed-text-v1.5 jinaai/jina-embeddings-v2-base-en
jinaai/jina-embeddings-v2-small-en jinaai/jina-embeddings-v3 jinaai/jina-reranker-v2-base-multilingual
mixedbread-ai/mxbai-embed-large-v1 mixedbread-ai/mxbai-rerank-large-v1 Snowflake/snowflake-arctic-embed-m
Snowflake/snowflake-arctic-embed-l BAAI/bge-reranker-base BAAI/bge-reranker-large BAAI/bge-reranker-v2-m3
BAAI/bge-small-zh-v1.5 BAAI/bge-large-zh-v1.5 BAAI/bge-base-en BAAI/bge-small-en
nvidia/NV-Embed-v2 nvidia/Llama-3.1-Nemotron-70B-Instruct-HF nvidia/parakeet-tdt-0.6b-v2 nvidia/segformer-b0-finetuned-ade-512-512
nvidia/mit-b0 nvidia/canary-1b nvidia/Nemotron-Mini-4B-Instruct
tiiuae/falcon-7b tiiuae/falcon-7b-instruct tiiuae/falcon-40b tiiuae/falcon-40b-instruct
bigscience/bloom bigscience/bloom-560m bigscience/bloomz-560m bigscience/T0pp
EleutherAI/gpt-neo-125m EleutherAI/gpt-neo-1.3B EleutherAI/gpt-neo-2.7B EleutherAI/gpt-j-6b EleutherAI/gpt-neox-20b
EleutherAI/pythia-70m EleutherAI/pythia-160m EleutherAI/pythia-410m EleutherAI/pythia-1b EleutherAI/pythia-6.9b
bigcode/starcoder bigcode/starcoder2-3b bigcode/starcoder2-7b bigcode/starcoder2-15b bigcode/santacoder
HuggingFaceH4/zephyr-7b-beta HuggingFaceTB/SmolLM2-135M-Instruct HuggingFaceTB/SmolLM2-360M-Instruct
HuggingFaceTB/SmolLM2-1.7B-Instruct HuggingFaceTB/SmolVLM-Instruct HuggingFaceM4/idefics2-8b
TinyLlama/TinyLlama-1.1B-Chat-v1.0 lmsys/vicuna-7b-v1.5 stabilityai/stable-diffusion-xl-base-1.0
stabilityai/stable-diffusion-2-1 stabilityai/sd-turbo stabilityai/sdxl-turbo stabilityai/stable-diffusion-xl-refiner-1.0
stabilityai/sd-vae-ft-mse stabilityai/stable-diffusion-3-medium-diffusers stabilityai/stable-diffusion-3.5-large
stabilityai/stablelm-2-1_6b runwayml/stable-diffusion-v1-5 stable-diffusion-v1-5/stable-diffusion-v1-5
CompVis/stable-diffusion-v1-4 CompVis/stable-diffusion-safety-checker black-forest-labs/FLUX.1-dev
black-forest-labs/FLUX.1-schnell lllyasviel/ControlNet lllyasviel/sd-controlnet-canny
lllyasviel/control_v11p_sd15_canny diffusers/controlnet-canny-sdxl-1.0 madebyollin/sdxl-vae-fp16-fix
h94/IP-Adapter latent-consistency/lcm-lora-sdxl ByteDance/SDXL-Lightning
Salesforce/blip-image-captioning-base Salesforce/blip-image-captioning-large Salesforce/blip2-opt-2.7b
Salesforce/blip-vqa-base Salesforce/codet5-base Salesforce/codegen-350M-mono
llava-hf/llava-1.5-7b-hf llava-hf/llava-v1.6-mistral-7b-hf llava-hf/llava-onevision-qwen2-7b-ov-hf
liuhaotian/llava-v1.5-7b laion/CLIP-ViT-H-14-laion2B-s32B-b79K laion/CLIP-ViT-B-32-laion2B-s34B-b79K
laion/clap-htsat-unfused timm/resnet50.a1_in1k timm/vit_base_patch16_224.augreg2_in21k_ft_in1k
timm/mobilenetv3_large_100.ra_in1k timm/efficientnet_b0.ra_in1k timm/convnext_base.fb_in22k_ft_in1k
timm/vit_large_patch14_clip_224.openai timm/resnet18.a1_in1k
pyannote/speaker-diarization-3.1 pyannote/segmentation-3.0 pyannote/speaker-diarization pyannote/segmentation
pyannote/embedding pyannote/wespeaker-voxceleb-resnet34-LM speechbrain/spkrec-ecapa-voxceleb
speechbrain/lang-id-voxlingua107-ecapa jonatasgrosman/wav2vec2-large-xlsr-53-english
Systran/faster-whisper-large-v3 Systran/faster-whisper-small Systran/faster-whisper-base
Systran/faster-whisper-medium Systran/faster-whisper-tiny distil-whisper/distil-large-v3 distil-whisper/distil-large-v2
suno/bark suno/bark-small microsoft/speecht5_tts microsoft/wavlm-base-plus facebook/mms-1b-all facebook/mms-tts-eng
dslim/bert-base-NER dbmdz/bert-large-cased-finetuned-conll03-english Jean-Baptiste/camembert-ner
cardiffnlp/twitter-roberta-base-sentiment-latest cardiffnlp/twitter-roberta-base-sentiment
cardiffnlp/twitter-xlm-roberta-base-sentiment nlptown/bert-base-multilingual-uncased-sentiment
finiteautomata/bertweet-base-sentiment-analysis j-hartmann/emotion-english-distilroberta-base
SamLowe/roberta-base-go_emotions ProsusAI/finbert yiyanghkust/finbert-tone mrm8488/distilroberta-finetuned-financial-news-sentiment-analysis
unitary/toxic-bert martin-ha/toxic-comment-model papluca/xlm-roberta-base-language-detection
deepset/roberta-base-squad2 deepset/bert-large-uncased-whole-word-masking-squad2 deepset/deberta-v3-base-squad2
distilbert/distilbert-base-cased-distilled-squad distilbert-base-cased-distilled-squad
MoritzLaurer/DeBERTa-v3-base-mnli-fever-anli MoritzLaurer/mDeBERTa-v3-base-xnli-multilingual-nli-2mil7
valhalla/distilbart-mnli-12-1 sshleifer/distilbart-cnn-12-6 philschmid/bart-large-cnn-samsum
Helsinki-NLP/opus-mt-en-de Helsinki-NLP/opus-mt-de-en Helsinki-NLP/opus-mt-en-fr Helsinki-NLP/opus-mt-fr-en
Helsinki-NLP/opus-mt-en-es Helsinki-NLP/opus-mt-es-en Helsinki-NLP/opus-mt-zh-en Helsinki-NLP/opus-mt-en-zh
Helsinki-NLP/opus-mt-mul-en Helsinki-NLP/opus-mt-ru-en Helsinki-NLP/opus-mt-en-ru
emilyalsentzer/Bio_ClinicalBERT dmis-lab/biobert-v1.1 allenai/scibert_scivocab_uncased
microsoft/BiomedNLP-BiomedBERT-base-uncased-abstract-fulltext allenai/longformer-base-4096 allenai/led-base-16384
allenai/OLMo-7B allenai/Molmo-7B-D-0924 nlpaueb/legal-bert-base-uncased
vinai/phobert-base vinai/bertweet-base cl-tohoku/bert-base-japanese tohoku-nlp/bert-base-japanese
klue/bert-base klue/roberta-base hfl/chinese-roberta-wwm-ext hfl/chinese-bert-wwm-ext
dbmdz/bert-base-german-cased dbmdz/bert-base-italian-cased almanach/camembert-base camembert-base
neuralmind/bert-base-portuguese-cased dccuchile/bert-base-spanish-wwm-cased DeepPavlov/rubert-base-cased
ai-forever/ruBert-base uer/gpt2-chinese-cluecorpussmall
answerdotai/ModernBERT-base answerdotai/ModernBERT-large colbert-ir/colbertv2.0 vidore/colpali-v1.2
Falconsai/nsfw_image_detection google/vit-base-patch32-224-in21k nateraw/vit-age-classifier
trpakov/vit-face-expression dima806/fairface_age_image_detection rizvandwiki/gender-classification
Intel/dpt-large Intel/dpt-hybrid-midas LiheYoung/depth-anything-small-hf depth-anything/Depth-Anything-V2-Small-hf
depth-anything/Depth-Anything-V2-Large-hf hustvl/yolos-tiny hustvl/yolos-small PekingU/rtdetr_r50vd
facebook/mask2former-swin-large-coco-panoptic facebook/maskformer-swin-base-coco
mattmdjaga/segformer_b2_clothes CIDAS/clipseg-rd64-refined IDEA-Research/grounding-dino-tiny
IDEA-Research/grounding-dino-base microsoft/kosmos-2-patch14-224 Salesforce/instructblip-vicuna-7b
adept/fuyu-8b 01-ai/Yi-6B 01-ai/Yi-34B THUDM/chatglm3-6b THUDM/glm-4-9b-chat zai-org/GLM-4.5
internlm/internlm2-chat-7b OpenGVLab/InternVL2-8B openbmb/MiniCPM-V-2_6 baichuan-inc/Baichuan2-7B-Chat
moonshotai/Kimi-K2-Instruct upstage/SOLAR-10.7B-Instruct-v1.0 NousResearch/Llama-2-7b-hf
NousResearch/Meta-Llama-3-8B-Instruct NousResearch/Hermes-3-Llama-3.1-8B teknium/OpenHermes-2.5-Mistral-7B
Open-Orca/Mistral-7B-OpenOrca WizardLMTeam/WizardLM-13B-V1.2 databricks/dolly-v2-3b mosaicml/mpt-7b
openlm-research/open_llama_3b CohereForAI/c4ai-command-r-v01 CohereForAI/aya-101 CohereLabs/aya-expanse-8b
ibm-granite/granite-3.0-8b-instruct ibm-granite/granite-3.3-8b-instruct ibm-granite/granite-embedding-30m-english
ibm-granite/granite-timeseries-ttm-r2 amazon/chronos-t5-small amazon/chronos-bolt-base
unsloth/llama-3-8b-bnb-4bit unsloth/Llama-3.2-1B-Instruct unsloth/Meta-Llama-3.1-8B-Instruct-bnb-4bit
unsloth/Qwen2.5-7B-Instruct-bnb-4bit TheBloke/Llama-2-7B-Chat-GGUF TheBloke/Mistral-7B-Instruct-v0.2-GGUF
TheBloke/Llama-2-7B-Chat-GPTQ bartowski/Meta-Llama-3.1-8B-Instruct-GGUF lmstudio-community/Meta-Llama-3.1-8B-Instruct-GGUF
hexgrad/Kokoro-82M coqui/XTTS-v2 microsoft/Phi-3-vision-128k-instruct microsoft/Phi-4-mini-instruct
protectai/deberta-v3-base-prompt-injection-v2 meta-llama/Prompt-Guard-86M
"""


def names(block: str) -> list[str]:
    """The whitespace-separated names of one block, in order."""
    return block.split()

# Hugging Face datasets most used for training and evaluation, written from maintainer knowledge of the
# Hub (dataset cards, leaderboards, course material), most used first. Legacy un-namespaced ids that the
# Hub still redirects (`imdb`, `squad`, `glue`, ...) follow their `org/` form.
HUGGINGFACE_DATASETS = """
openai/gsm8k gsm8k cais/mmlu allenai/ai2_arc ai2_arc Rowan/hellaswag hellaswag nyu-mll/glue glue
aps/super_glue super_glue stanfordnlp/imdb imdb rajpurkar/squad squad rajpurkar/squad_v2 squad_v2
Salesforce/wikitext wikitext truthfulqa/truthful_qa truthful_qa allenai/winogrande winogrande
ybisk/piqa piqa google/boolq boolq allenai/openbookqa openbookqa facebook/anli anli
openai/openai_humaneval openai_humaneval google-research-datasets/mbpp mbpp abisee/cnn_dailymail cnn_dailymail
EdinburghNLP/xsum xsum ylecun/mnist mnist uoft-cs/cifar10 cifar10 uoft-cs/cifar100 cifar100
zalando-datasets/fashion_mnist fashion_mnist dair-ai/emotion emotion fancyzhx/ag_news ag_news
fancyzhx/yelp_review_full yelp_review_full fancyzhx/amazon_polarity amazon_polarity fancyzhx/dbpedia_14 dbpedia_14
stanfordnlp/sst2 sst2 cornell-movie-review-data/rotten_tomatoes rotten_tomatoes eriktks/conll2003 conll2003
cardiffnlp/tweet_eval tweet_eval Samsung/samsum samsum ehovy/race race wmt/wmt14 wmt14 wmt/wmt16 wmt16
Helsinki-NLP/opus-100 opus100 mandarjoshi/trivia_qa trivia_qa google-research-datasets/natural_questions
natural_questions hotpotqa/hotpot_qa hotpot_qa microsoft/ms_marco ms_marco lighteval/MATH
EleutherAI/hendrycks_math TIGER-Lab/MMLU-Pro Idavidrein/gpqa HuggingFaceH4/MATH-500
HuggingFaceFW/fineweb HuggingFaceFW/fineweb-edu allenai/c4 c4 wikimedia/wikipedia wikipedia
bookcorpus/bookcorpus bookcorpus togethercomputer/RedPajama-Data-1T cerebras/SlimPajama-627B bigcode/the-stack
bigcode/the-stack-v2 codeparrot/github-code HuggingFaceTB/cosmopedia HuggingFaceTB/smollm-corpus
tatsu-lab/alpaca yahma/alpaca-cleaned databricks/databricks-dolly-15k Open-Orca/OpenOrca
HuggingFaceH4/ultrachat_200k HuggingFaceH4/ultrafeedback_binarized HuggingFaceH4/no_robots
OpenAssistant/oasst1 OpenAssistant/oasst2 teknium/OpenHermes-2.5 Anthropic/hh-rlhf stanfordnlp/SHP
lmsys/lmsys-chat-1m lmsys/chatbot_arena_conversations nvidia/HelpSteer2 argilla/distilabel-intel-orca-dpo-pairs
timdettmers/openassistant-guanaco WizardLMTeam/WizardLM_evol_instruct_V2_196k garage-bAInd/Open-Platypus
mozilla-foundation/common_voice_11_0 mozilla-foundation/common_voice_13_0 openslr/librispeech_asr
librispeech_asr google/fleurs facebook/voxpopuli PolyAI/minds14 ILSVRC/imagenet-1k imagenet-1k
detection-datasets/coco nlphuji/flickr30k HuggingFaceM4/VQAv2 lmms-lab/MMMU MMMU/MMMU
sentence-transformers/all-nli sentence-transformers/stsb mteb/stsbenchmark-sts BeIR/scifact
BeIR/nfcorpus facebook/flores openai/summarize_from_feedback openai/webgpt_comparisons
allenai/sciq sciq allenai/qasc qasc tau/commonsense_qa commonsense_qa google/xquad xquad
juletxara/mgsm allenai/social_i_qa social_i_qa lukaemon/bbh google/IFEval
"""
